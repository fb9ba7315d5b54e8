/**
 * Section 5 of the bench on one account: the counts behind the cost model (the paths'
 * transitions, each execution's trace and log, a link view's reads) and what the document
 * says about the issue's targets, from a real count through the synthesized state machine.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type CostScenario, costScenario, stackCostSettings } from '../../bench/cost.ts';
import { stackSection } from '../../bench/doc.ts';
import { LINK_VIEWS_PER_CHART, TEAM } from '../../bench/prices.ts';
import {
  FREE_TIER,
  reportTaskStates,
  reportTransitions,
  SCHEDULED_RUN_EXTRA_TRANSITIONS,
  stateMachineLogBytes,
} from '../../common/report-cost.ts';

/** Cold starts as section 2 measures them, fixed so the test does not bundle anything. */
const COLD = {
  bot: 180,
  botFirstRequest: 30,
  fetch: 95,
  summarize: 12,
  chart: 130,
  sign: 105,
  post: 105,
  links: 150,
};

describe('Bench: the cost of a report and of what the stack turns on', () => {
  let scenario: CostScenario;

  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    scenario = await costScenario(1, 30, {
      cold: COLD,
      chartBytes: 100_000,
      stack: await stackCostSettings(),
    });
  });

  it('counts a command and a scheduled digest on their paths (stable links: no Sign), each with one trace and its log', () => {
    // Act
    const { command, digest } = scenario;
    // Assess
    const stable = { stableLinks: true };
    assert.equal(command.transitions, reportTransitions(stable));
    assert.equal(digest.transitions, reportTransitions(stable) + SCHEDULED_RUN_EXTRA_TRANSITIONS);
    assert.deepEqual([command.transitions, digest.transitions], [6, 8]);
    assert.equal(command.xrayTraces, 1);
    assert.equal(
      command.stateMachineLogBytes,
      stateMachineLogBytes(reportTransitions(stable), reportTaskStates(stable)),
    );
    assert.deepEqual([digest.schedulerInvocations, command.schedulerInvocations], [1, 0]);
  });

  it("reads the link key and the signer's two parameters on a cold link view", () => {
    // Act
    const view = scenario.linkView;
    // Assess
    assert.equal(view.ssmValues, 3);
    assert.ok(view.dollars.kms > view.dollars.lambda, 'the reads cost more than the time');
  });

  it('bills the alarm per metric of its math, within the free alarm metrics, and no topic key', () => {
    // Act
    const [alarm, ...rest] = scenario.fixed;
    // Assess
    assert.equal(rest.length, 0);
    assert.equal(alarm?.listDollars, 3 * 0.1, 'three metrics: failed, timed out, aborted');
    assert.equal(alarm?.afterFreeTierDollars, 0);
  });

  it('sums the month over reports and views before taking each free tier', () => {
    // Act
    const transitions = scenario.freeTiers.find((f) => f.what.startsWith('Step Functions'));
    const kms = scenario.freeTiers.find((f) => f.what.startsWith('KMS'));
    // Assess
    const reports = TEAM.daysPerMonth * (TEAM.digestsPerDay + TEAM.commandsPerDay);
    assert.equal(
      transitions?.used,
      TEAM.daysPerMonth *
        (TEAM.digestsPerDay * scenario.digest.transitions +
          TEAM.commandsPerDay * scenario.command.transitions),
    );
    assert.equal(transitions?.free, FREE_TIER.transitions);
    assert.equal(
      kms?.used,
      TEAM.daysPerMonth *
        (TEAM.digestsPerDay * scenario.digest.ssmValues +
          TEAM.commandsPerDay * scenario.command.ssmValues) +
        reports * scenario.linkViewsPerChart * 3,
    );
    assert.equal(
      scenario.linkViewsPerChart,
      LINK_VIEWS_PER_CHART + 1,
      "the views and Post's check",
    );
    assert.ok(scenario.monthly.allList > scenario.monthly.oursTotalReused);
  });

  it("states the targets' verdict with the figures it is drawn from", () => {
    // Act
    const text = stackSection([scenario], 250).join('\n');
    // Assess
    const m = scenario.monthly;
    const list = m.oursTotalReused < 0.17 ? 'Met at list prices' : 'Missed at list prices by';
    const free =
      m.oursTotalReusedFreeTiers < 0.07 ? 'met after free tiers' : 'missed after free tiers';
    assert.ok(text.includes(list), text);
    assert.ok(text.includes(free), text);
    assert.match(text, /Step Functions is \$[\d.]+ of the list figure \(\d+%\)/);
    assert.match(text, /the state machine has no Sign state/);
    assert.match(
      text,
      /With `stableLinks=false` Sign is back on the path: 7 transitions a command, 9 a scheduled run/,
    );
  });
});
