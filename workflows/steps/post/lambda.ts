/** Lambda entry of the post step (reports and failure notices). */
import { loadConfig } from '../../../common/config.ts';
import { withLambdaContext } from '../../../common/log.ts';
import { awsParameterReader } from '../../../common/parameters.ts';
import { createPostHandler, postDepsFromConfig, s3DeliveryRecords } from './handler.ts';

const config = loadConfig();
const deps = postDepsFromConfig(
  config,
  awsParameterReader(config, process.env),
  s3DeliveryRecords(config, process.env),
);

export const handler = withLambdaContext(deps.log, createPostHandler(deps));
