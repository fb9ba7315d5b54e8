/** Lambda entry of the sign step. */
import { loadConfig } from '../../../common/config.ts';
import { signDepsFromConfig } from '../../../common/link-signer.ts';
import { withLambdaContext } from '../../../common/log.ts';
import { awsParameterReader } from '../../../common/parameters.ts';
import { createSignHandler } from './handler.ts';

const config = loadConfig();
const deps = signDepsFromConfig(config, process.env, awsParameterReader(config, process.env));

export const handler = withLambdaContext(deps.log, createSignHandler(deps));
