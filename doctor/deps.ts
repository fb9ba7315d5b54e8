/**
 * The doctor's clients for a backend, built from configuration like the steps build theirs:
 * `aws` (SDK clients honouring AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL[_<SERVICE>]) or
 * `local` (in `local/doctor-deps.ts`: the parameter file, the embedded S3 server, the demo metrics).
 *
 * `botDoctorDeps` is what `/aws-cost doctor` uses; `npm run doctor` adds IAM/STS, the reader
 * roles and the schedule on top (see `doctor/main.ts`). Nothing here makes a call: clients
 * are built, and the checks call them.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { cloudWatchClient, s3Client, ssmClient } from '../common/aws-clients.ts';
import type { CostbotConfig } from '../common/config.ts';
import { selectParameterReader } from '../common/parameters.ts';
import { cloudWatchMetricsApi } from '../workflows/steps/fetch/metrics-api.ts';
import type { DoctorDeps, SlackApi } from './types.ts';

type Env = Record<string, string | undefined>;

/** The parameter's type without decrypting its value (`SecureString`, `String`). */
export function ssmParameterType(ssm: Pick<SSMClient, 'send'>) {
  return async (name: string): Promise<string | undefined> => {
    const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    return out.Parameter?.Type;
  };
}

/** The clients of the `aws` backend, one attempt per call, parameters uncached. */
export function awsDoctorDeps(config: CostbotConfig, env: Env): DoctorDeps {
  const ssm = ssmClient({ maxAttempts: 1 });
  return {
    config,
    // Uncached: a parameter fixed a minute ago must show as fixed.
    parameters: selectParameterReader(env, ssm),
    parameterType: ssmParameterType(ssm),
    billing: cloudWatchMetricsApi(
      cloudWatchClient({ region: config.billingRegion, maxAttempts: 1 }),
    ),
    s3: s3Client(env, { maxAttempts: 1 }),
  };
}

/**
 * What `/aws-cost doctor` runs with: a backend's clients (`awsDoctorDeps`, or the local
 * ones in `local/doctor-deps.ts`) and the bot's own Slack client.
 * Built when the command arrives, after the ack; building makes no call.
 */
export function botDoctorDeps(base: DoctorDeps, slack: SlackApi): DoctorDeps {
  // The bot reads parameter values only; asking SSM for types is the deployer's business.
  const { parameterType: _types, ...rest } = base;
  return { ...rest, slack: () => slack };
}
