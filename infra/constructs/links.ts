/**
 * Stable chart links: a small function behind its own Function URL that answers
 * `GET /<token>` with a redirect to a freshly presigned URL of the chart (workflows/links/).
 * Auth is NONE because Slack's image proxy and anyone the message is shown to open the link
 * without AWS credentials: the token is the auth (HMAC-SHA256, checked before any AWS call).
 *
 * The role may read the HMAC key and the signer's two parameters, nothing else: it signs with
 * the signer user's key and never touches the bucket itself. Reserved concurrency caps what a
 * flood of requests can cost and keeps it from taking the report's concurrency.
 */
import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Architecture, FunctionUrl, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../paths.ts';
import { CostbotFunction } from './costbot-function.ts';
import type { CostbotParameters } from './parameters.ts';
import { acknowledgeKmsKeyWildcard } from './report-functions.ts';

/** The links function's Lambda entry. */
export const LINKS_ENTRY = 'workflows/links/lambda.ts';

export interface ChartLinksProps {
  parameters: CostbotParameters;
  /** Settings the function reads: the bucket, the chart prefix, the parameter names. */
  environment: Record<string, string>;
  /** Deploy setting `linksReservedConcurrency`. */
  reservedConcurrency: number;
  logRetention: RetentionDays;
  architecture: Architecture;
  parametersExtension: boolean;
}

export class ChartLinks extends Construct {
  readonly function: IFunction;
  readonly role: IRole;
  /** Its `url` ends in `/`: a stable link is `url` + token. */
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: ChartLinksProps) {
    super(scope, id);
    const links = new CostbotFunction(this, 'Links', {
      entry: `${REPO_ROOT}/${LINKS_ENTRY}`,
      description: 'costbot: stable chart links (redirect to a fresh presigned URL)',
      environment: props.environment,
      // Verifying an HMAC and presigning take milliseconds; a cold start reads two parameters.
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      architecture: props.architecture,
      parametersExtension: props.parametersExtension,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    const names = props.parameters.names;
    props.parameters.grantRead(links.role, [
      names.linkKey,
      names.signerAccessKeyId,
      names.signerSecretAccessKey,
    ]);
    acknowledgeKmsKeyWildcard(links.role);
    this.function = links.function;
    this.role = links.role;
    this.url = links.addPublicUrl();
  }
}
