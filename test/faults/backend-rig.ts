/**
 * `startRig` (the local backend posting to the fake Slack) with its options as one object and
 * only error lines logged: backend options, and whatever stands in front of the fake Slack
 * (`apiUrl`: a flaky proxy).
 */
import type { Backend, BackendOptions } from '../../local/backend.ts';
import type { FakeSlackApi } from './slack-api.ts';
import { startRig } from './support.ts';

export interface BackendRig {
  /** COSTBOT_LOCAL_DIR: `parameters.json` is there. */
  dir: string;
  slack: FakeSlackApi;
  backend: Backend;
  stop(): Promise<void>;
}

export function startBackendRig(
  options: {
    env?: Record<string, string>;
    backend?: BackendOptions;
    /** The Web API base URL the backend posts to, given the fake Slack; default the fake itself. */
    apiUrl?: (slack: FakeSlackApi) => Promise<string>;
  } = {},
): Promise<BackendRig> {
  return startRig({ LOG_LEVEL: 'error', ...options.env }, options.backend, options.apiUrl);
}
