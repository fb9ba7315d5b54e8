/** Lambda entry of the sign step. */
import { loadConfig } from '../../../common/config.ts';
import { signDepsFromConfig } from '../../../common/link-signer.ts';
import { awsParameterReader } from '../../../common/parameters.ts';
import { createSignHandler } from './handler.ts';

const config = loadConfig();

export const handler = createSignHandler(
  signDepsFromConfig(config, process.env, awsParameterReader(config, process.env)),
);
