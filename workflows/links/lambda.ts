/** Lambda entry of the links function, behind its own Function URL (auth NONE: the token is the auth). */
import { loadConfig } from '../../common/config.ts';
import { withLambdaContext } from '../../common/log.ts';
import { awsParameterReader } from '../../common/parameters.ts';
import { createLinksHandler, linksDepsFromConfig } from './handler.ts';

const config = loadConfig();
// The HMAC key is read at init, so refusing a bad token never waits on (or pays for) SSM.
const deps = await linksDepsFromConfig(
  config,
  process.env,
  awsParameterReader(config, process.env),
);

export const handler = withLambdaContext(deps.log, createLinksHandler(deps));
