/**
 * One Lambda function as costbot deploys them all: its own role (nothing granted but writing to
 * its own log group; callers add exactly what the code calls), its own log group with a
 * retention, and an esbuild bundle made on this machine (no Docker).
 *
 * The bundle is ESM (`index.mjs`) with a banner defining `require`, because some dependencies
 * still call it; `keepNames` keeps class names through minification, since Retry/Catch and the
 * failure messages match errors by `name`. The AWS SDK is bundled, not taken from the runtime:
 * the code is tested against the locked SDK version.
 */
import { relative } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  type Architecture,
  type FunctionUrl,
  FunctionUrlAuthType,
  type IFunction,
  InvokeMode,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESM_REQUIRE_BANNER, LAMBDA_ESBUILD } from '../bundling.ts';
import { REPO_ROOT } from '../paths.ts';
import { PARAMS_AND_SECRETS_VERSION } from '../regions.ts';
import { acknowledge } from './nag.ts';

/**
 * nodejs22.x: the runtime the bundles are built for (esbuild `target` below), supported by
 * Lambda until Node 22's end of life (April 2027). Change both together.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

export interface CostbotFunctionProps {
  /** Absolute path of the TypeScript entry exporting `handler`. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  /** Default 256 MB. */
  memorySize?: number;
  logRetention: RetentionDays;
  architecture: Architecture;
  /**
   * Files copied next to the bundle, as `{ 'name in bundle': absolute source path }`; the
   * source must be inside the repository (the bundling input directory).
   */
  assets?: Record<string, string>;
  /**
   * Add the AWS Parameters and Secrets Lambda Extension (localhost:2773): parameters are
   * cached per execution environment, fewer SSM calls. `common/parameters.ts` uses it when
   * `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` is set, which the layer does.
   */
  parametersExtension?: boolean;
  /** Seconds the extension keeps a value; default 300. */
  parameterCacheTtlSeconds?: number;
  /** Extra esbuild arguments, e.g. the bot's aliases that leave unused Bolt receivers out. */
  esbuildArgs?: Record<string, string>;
  /** Concurrency reserved for (and capping) this function; default: none, the account's pool. */
  reservedConcurrentExecutions?: number;
}

export class CostbotFunction extends Construct {
  readonly function: IFunction;
  readonly role: IRole;
  readonly logGroup: ILogGroup;

  constructor(scope: Construct, id: string, props: CostbotFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // A role of its own, without AWSLambdaBasicExecutionRole: that managed policy lets the
    // function create and write any log group of the account; this one writes only its own.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.role = role;

    const assets = Object.entries(props.assets ?? {});
    const ttl = props.parameterCacheTtlSeconds ?? 300;
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: props.architecture,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role,
      logGroup: this.logGroup,
      environment: props.environment,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}/package-lock.json`,
      ...(props.parametersExtension
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(PARAMS_AND_SECRETS_VERSION, {
              parameterStoreTtl: Duration.seconds(ttl),
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      bundling: {
        // Local esbuild only: no Docker here or in CI.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: LAMBDA_ESBUILD.target,
        mainFields: [...LAMBDA_ESBUILD.mainFields],
        banner: ESM_REQUIRE_BANNER,
        minify: LAMBDA_ESBUILD.minify,
        sourceMap: false,
        keepNames: LAMBDA_ESBUILD.keepNames,
        bundleAwsSDK: true,
        ...(props.esbuildArgs ? { esbuildArgs: props.esbuildArgs } : {}),
        tsconfig: `${REPO_ROOT}/tsconfig.json`,
        ...(assets.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  assets.map(
                    ([name, source]) =>
                      `cp "${inputDir}/${relative(REPO_ROOT, source)}" "${outputDir}/${name}"`,
                  ),
              },
            }
          : {}),
      },
    });
    acknowledge(
      this.function,
      'AwsSolutions-L1',
      'nodejs22.x is a supported Lambda runtime (Node 22 LTS, until April 2027) and the one the bundles are built for (esbuild target node22); nodejs24.x is adopted deliberately, with the target and the tests.',
    );
  }

  /**
   * A Function URL anyone may call (auth NONE), answered when the function returns: for
   * callers that cannot sign with SigV4 (Slack, an image proxy), where the function itself
   * authenticates each request (Slack's signature, a link token) before doing anything.
   */
  addPublicUrl(): FunctionUrl {
    return this.function.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.BUFFERED,
    });
  }
}
