/**
 * The local backend (s3rver, parameter file, demo metrics) with any backend options, posting
 * to the fake Slack, or to whatever stands in front of it (`apiUrl`: a flaky proxy), with the
 * bot token the parameter file holds. For fault tests that need options `startRig` does not take.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../common/config.ts';
import { type Backend, type BackendOptions, localBackend } from '../../local/backend.ts';
import { type FakeSlackApi, startFakeSlackApi } from './slack-api.ts';
import { CHANNEL, FROZEN_NOW } from './support.ts';

export interface BackendRig {
  /** COSTBOT_LOCAL_DIR: `parameters.json` is there. */
  dir: string;
  slack: FakeSlackApi;
  backend: Backend;
  stop(): Promise<void>;
}

export async function startBackendRig(
  options: {
    env?: Record<string, string>;
    backend?: BackendOptions;
    /** The Web API base URL the backend posts to, given the fake Slack; default the fake itself. */
    apiUrl?: (slack: FakeSlackApi) => Promise<string>;
  } = {},
): Promise<BackendRig> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-rig-'));
  const slack = await startFakeSlackApi('');
  const config = loadConfig({
    COSTBOT_LOCAL_DIR: dir,
    COSTBOT_LOCAL_S3_PORT: '0',
    COSTBOT_LOCAL_LINKS_PORT: '0',
    COSTBOT_DIGEST_CHANNEL: CHANNEL,
    SLACK_API_URL: options.apiUrl ? await options.apiUrl(slack) : slack.apiUrl,
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const backend = await localBackend(config, {
    now: () => new Date(FROZEN_NOW),
    ...options.backend,
  });
  const parameters = JSON.parse(await readFile(join(dir, 'parameters.json'), 'utf8')) as Record<
    string,
    string
  >;
  slack.validToken = parameters[config.parameterNames.slackBotToken] ?? '';
  return {
    dir,
    slack,
    backend,
    stop: async () => {
      await backend.stop();
      await slack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
