/**
 * The Lambda functions of the cost report state machine, one per step, each with a role
 * holding exactly what its code calls (the least-privilege tests prove it). The sign function
 * exists only with stable links off: with them on, the links function is the only reader of
 * the signer's keys.
 *
 *
 * | step      | calls                                                      |
 * |-----------|------------------------------------------------------------|
 * | fetch     | CloudWatch GetMetricData + ListMetrics; AssumeRole readers |
 * |           | S3 Get/PutObject below `cache/billing/` (reused reads)     |
 * | summarize | nothing (pure)                                             |
 * | chart     | S3 PutObject below the chart prefix                        |
 * | sign      | (stable links off) SSM GetParameter(s) on the signer's two |
 * |           | parameters                                                 |
 * | post      | SSM GetParameter(s) on the Slack bot token; Slack (HTTPS); |
 * |           | S3 Get/Put/DeleteObject below `deliveries/` (records)      |
 * |           | (stable links on) SSM GetParameter(s) on the link HMAC key |
 */
import { createRequire } from 'node:module';
import { Duration } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Architecture } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BILLING_CACHE_PREFIX } from '../../common/billing-cache.ts';
import type { SETTINGS } from '../../common/config.ts';
import { DELIVERY_RECORD_PREFIX } from '../../common/contract.ts';
import { REPO_ROOT } from '../paths.ts';
import type { CostReportFunctions } from '../state-machine/definition.ts';
import { CostbotFunction } from './costbot-function.ts';
import { acknowledge, nagArn } from './nag.ts';
import type { CostbotParameters } from './parameters.ts';

export interface ReportFunctionsProps {
  bucket: IBucket;
  /** Key prefix the chart step writes below, ending in `/`. */
  chartPrefix: string;
  parameters: CostbotParameters;
  /** Reader roles in member accounts the fetch step may assume; none: no AssumeRole at all. */
  readerRoleArns: string[];
  /** ExternalId the reader roles require; passed to the fetch function only. */
  readerExternalId: string;
  /**
   * Stable links on: the links endpoint's base URL, which the post step links charts below; no
   * sign function then. Absent: the sign function presigns each chart's link.
   */
  linksUrl?: string;
  /** Settings every function reads (`common/config.ts` names). */
  environment: Record<string, string>;
  logRetention: RetentionDays;
  architecture: Architecture;
  parametersExtension: boolean;
}

/** Why GetMetricData and ListMetrics are granted on "*". */
export const CLOUDWATCH_READ_REASON =
  'cloudwatch:GetMetricData and cloudwatch:ListMetrics support no resource-level permissions: "*" is the only Resource IAM accepts. The two actions are named explicitly.';

export type StepName = keyof CostReportFunctions;

/** A role per function the construct made: `sign` only with stable links off. */
export type StepRoles = Record<Exclude<StepName, 'sign'>, IRole> & { sign?: IRole };

/** Where the chart step finds its font and WebAssembly (`COSTBOT_ASSETS_DIR`). */
export const LAMBDA_TASK_ROOT = '/var/task';

function entry(step: StepName): string {
  return `${REPO_ROOT}/workflows/steps/${step}/lambda.ts`;
}

/** Files `workflows/steps/chart/render.ts` reads from `COSTBOT_ASSETS_DIR` in Lambda. */
export function chartAssets(): Record<string, string> {
  const require = createRequire(`${REPO_ROOT}/package.json`);
  return {
    'DejaVuSans.ttf': require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    'DejaVuSans-Bold.ttf': require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    'index_bg.wasm': require.resolve('@resvg/resvg-wasm/index_bg.wasm'),
  };
}

export class ReportFunctions extends Construct {
  readonly functions: CostReportFunctions;
  readonly roles: StepRoles;

  constructor(scope: Construct, id: string, props: ReportFunctionsProps) {
    super(scope, id);
    const common = {
      environment: props.environment,
      logRetention: props.logRetention,
      architecture: props.architecture,
    };
    // Lambda timeouts stay below the state machine's task timeouts (60 s and 30 s), so a slow
    // call fails as Lambda's timeout, with logs, before the task gives up on it.
    const fetch = new CostbotFunction(this, 'Fetch', {
      ...common,
      environment: { ...props.environment, ...readerEnvironment(props) },
      entry: entry('fetch'),
      description: 'costbot: fetch billing and CloudWatch metrics',
      timeout: Duration.seconds(55),
    });
    const summarize = new CostbotFunction(this, 'Summarize', {
      ...common,
      entry: entry('summarize'),
      description: 'costbot: summarize costs',
      timeout: Duration.seconds(25),
    });
    const chart = new CostbotFunction(this, 'Chart', {
      ...common,
      entry: entry('chart'),
      description: 'costbot: render the chart and store it',
      environment: { ...props.environment, COSTBOT_ASSETS_DIR: LAMBDA_TASK_ROOT },
      assets: chartAssets(),
      // resvg rasterizes 1600x800 px; more memory is also more CPU, so it is faster too.
      memorySize: 1024,
      timeout: Duration.seconds(55),
    });
    const sign = props.linksUrl
      ? undefined
      : new CostbotFunction(this, 'Sign', {
          ...common,
          entry: entry('sign'),
          description: 'costbot: presign the chart link',
          timeout: Duration.seconds(25),
          parametersExtension: props.parametersExtension,
        });
    const post = new CostbotFunction(this, 'Post', {
      ...common,
      entry: entry('post'),
      description: 'costbot: post the report to Slack',
      ...(props.linksUrl
        ? {
            environment: {
              ...props.environment,
              COSTBOT_LINKS_URL: props.linksUrl,
            } satisfies Partial<Record<keyof typeof SETTINGS, string>>,
          }
        : {}),
      timeout: Duration.seconds(25),
      parametersExtension: props.parametersExtension,
    });

    this.grantFetch(fetch, props.readerRoleArns, props.bucket);
    chart.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'StoreCharts',
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${props.chartPrefix}*`)],
      }),
    );
    acknowledge(
      chart.role,
      `AwsSolutions-IAM5[Resource::${nagArn(props.bucket)}/${props.chartPrefix}*]`,
      'Chart keys are made per report (charts/YYYY/MM/DD/<request-id>.png): the chart step may write any key below the chart prefix and nowhere else.',
    );
    grantDeliveryRecords(post, props.bucket);
    const names = props.parameters.names;
    if (sign) {
      props.parameters.grantRead(sign.role, [names.signerAccessKeyId, names.signerSecretAccessKey]);
      acknowledgeKmsKeyWildcard(sign.role);
    }
    // With stable links the post step mints each chart's link token with the HMAC key.
    props.parameters.grantRead(post.role, [
      names.slackBotToken,
      ...(props.linksUrl ? [names.linkKey] : []),
    ]);
    acknowledgeKmsKeyWildcard(post.role);

    this.functions = {
      fetch: fetch.function,
      summarize: summarize.function,
      chart: chart.function,
      ...(sign ? { sign: sign.function } : {}),
      post: post.function,
    };
    this.roles = {
      fetch: fetch.role,
      summarize: summarize.role,
      chart: chart.role,
      ...(sign ? { sign: sign.role } : {}),
      post: post.role,
    };
  }

  private grantFetch(fetch: CostbotFunction, readerRoleArns: string[], bucket: IBucket): void {
    fetch.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadMetrics',
        actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        // CloudWatch defines no resource type for these two actions: IAM accepts only "*".
        resources: ['*'],
      }),
    );
    acknowledge(fetch.role, 'AwsSolutions-IAM5[Resource::*]', CLOUDWATCH_READ_REASON);
    fetch.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'BillingCache',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(`${BILLING_CACHE_PREFIX}*`)],
      }),
    );
    acknowledge(
      fetch.role,
      `AwsSolutions-IAM5[Resource::${nagArn(bucket)}/${BILLING_CACHE_PREFIX}*]`,
      'Billing cache keys are hashes of the query (cache/billing/<sha256>.json): the fetch step may read and write any key below that prefix and nowhere else.',
    );
    if (readerRoleArns.length > 0) {
      fetch.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeReaderRoles',
          actions: ['sts:AssumeRole'],
          resources: readerRoleArns,
        }),
      );
    }
  }
}

/**
 * The post step's delivery records (one per report and kind): read before posting, claimed with
 * a conditional put, rewritten once Slack answered, deleted when Slack failed. Nothing else of
 * the bucket: not the charts, and no ListBucket.
 */
function grantDeliveryRecords(post: CostbotFunction, bucket: IBucket): void {
  post.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'DeliveryRecords',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(`${DELIVERY_RECORD_PREFIX}*`)],
    }),
  );
  acknowledge(
    post.role,
    `AwsSolutions-IAM5[Resource::${nagArn(bucket)}/${DELIVERY_RECORD_PREFIX}*]`,
    'Delivery record keys are made per report (deliveries/<request-id>/<kind>.json): the post step may read and write any key below that prefix and nowhere else.',
  );
}

/**
 * Only the fetch step assumes reader roles, so only it is told which, and the ExternalId. With
 * none configured it gets neither: it then reads the payer's `LinkedAccount` view, as before.
 * Lambda allows 4 KB of environment in all: about 60 reader role ARNs besides the other settings.
 */
export function readerEnvironment(
  props: Pick<ReportFunctionsProps, 'readerRoleArns' | 'readerExternalId'>,
): Partial<Record<keyof typeof SETTINGS, string>> {
  if (props.readerRoleArns.length === 0) return {};
  return {
    COSTBOT_READER_ROLE_ARNS: props.readerRoleArns.join(','),
    COSTBOT_READER_EXTERNAL_ID: props.readerExternalId,
  };
}

/** The kms:Decrypt statement of `CostbotParameters.grantRead` names `key/*`, narrowed by conditions. */
export function acknowledgeKmsKeyWildcard(role: IRole): void {
  acknowledge(
    role,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    'The key behind the SecureString parameters (aws/ssm or a customer key) is not known at synth time; kms:Decrypt is allowed only via SSM (kms:ViaService) and only for the named parameters (kms:EncryptionContext:PARAMETER_ARN).',
  );
}
