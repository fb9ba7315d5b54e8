/** Lambda entry of the fetch step: clients are built once per cold start. */
import { loadConfig } from '../../../common/config.ts';
import { withLambdaContext } from '../../../common/log.ts';
import { createFetchHandler, fetchDepsFromConfig } from './handler.ts';

const deps = fetchDepsFromConfig(loadConfig());

export const handler = withLambdaContext(deps.log, createFetchHandler(deps));
