/** Lambda entry of the post step (reports and failure notices). */
import { loadConfig } from '../../../common/config.ts';
import { awsParameterReader } from '../../../common/parameters.ts';
import { createPostHandler, postDepsFromConfig } from './handler.ts';

const config = loadConfig();

export const handler = createPostHandler(
  postDepsFromConfig(config, awsParameterReader(config, process.env)),
);
