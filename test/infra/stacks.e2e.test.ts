/**
 * Every test of the synthesized stacks and state machine, in one process. `node --test` runs
 * each file in a process of its own, and the default stacks (with cdk-nag) take seconds to
 * synthesize: run from here, they are synthesized once per test run (`defaultTestApp()` in
 * support/synth.ts) and the state machine definition once (`synthesizeDefinition()`).
 */
import './costbot-stack.spec.ts';
import './least-privilege.spec.ts';
import './links.spec.ts';
import './nag.spec.ts';
import './reader-stack.spec.ts';
import './state-machine/asl.spec.ts';
import './state-machine/definition.spec.ts';
