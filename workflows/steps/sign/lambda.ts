/** Lambda entry of the sign step. */
import { loadConfig } from '../../../common/config.ts';
import { awsParameterReader } from '../../../common/parameters.ts';
import { createSignHandler, signDepsFromConfig } from './handler.ts';

const config = loadConfig();

export const handler = createSignHandler(
  signDepsFromConfig(config, process.env, awsParameterReader(config, process.env)),
);
