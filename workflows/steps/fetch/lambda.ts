/** Lambda entry of the fetch step: clients are built once per cold start. */
import { loadConfig } from '../../../common/config.ts';
import { createFetchHandler, fetchDepsFromConfig } from './handler.ts';

export const handler = createFetchHandler(fetchDepsFromConfig(loadConfig()));
