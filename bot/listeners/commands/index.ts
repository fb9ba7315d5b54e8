import type { App } from '@slack/bolt';
import { type CommandDeps, createAwsCostCommand } from './aws-cost.ts';

export const COMMAND = '/aws-cost';

export function register(app: App, deps: CommandDeps): void {
  app.command(COMMAND, createAwsCostCommand(deps));
}
