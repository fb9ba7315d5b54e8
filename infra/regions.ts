/**
 * The regions costbot deploys to: those of the `aws` partition where Lambda Function URLs exist
 * (the bot's endpoint) and aws-cdk-lib knows the AWS Parameters and Secrets Lambda Extension
 * layer for the chosen architecture (`ParamsAndSecretsLayerVersion.fromVersion` throws in any
 * other region). Only the `aws` partition: the IAM policies in `setup/policies/` are written for
 * `arn:aws:`, and the billing metrics are read in us-east-1.
 *
 * @example
 * supportedRegions('arm64');               // ['af-south-1', 'ap-east-1', …, 'us-west-2']
 * regionRefusal('ap-south-2', 'arm64');    // 'is "ap-south-2", which has no Lambda Function URLs and …'
 */
import { ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';

export type LambdaArchitecture = 'arm64' | 'x86_64';

/** The extension layer version every costbot function gets (infra/constructs/costbot-function.ts). */
export const PARAMS_AND_SECRETS_VERSION = ParamsAndSecretsVersions.V1_0_103;

/**
 * Regions whose CloudFormation resource types include `AWS::Lambda::Url`, as cfn-lint 1.51.0's
 * provider schemas list them (cfnlint/data/schemas/providers/<region>.py). Kept here because
 * synthesis must not need Python; test/infra/regions.e2e.test.ts compares it with the installed
 * cfn-lint, so it cannot drift.
 */
export const FUNCTION_URL_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ca-central-1',
  'cn-north-1',
  'eu-central-1',
  'eu-isoe-west-1',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isob-west-1',
  'us-isof-east-1',
  'us-isof-south-1',
  'us-west-1',
  'us-west-2',
];

/** Why costbot cannot deploy to `region`, each a predicate ("has no …"); empty when it can. */
export function missingInRegion(region: string, architecture: LambdaArchitecture): string[] {
  if (!RegionInfo.regions.some((r) => r.name === region))
    return ['is not a region aws-cdk-lib knows'];
  const info = RegionInfo.get(region);
  const missing: string[] = [];
  if (info.partition !== 'aws') missing.push('is outside the aws partition');
  if (!FUNCTION_URL_REGIONS.includes(region)) missing.push('has no Lambda Function URLs');
  if (!info.paramsAndSecretsLambdaLayerArn(PARAMS_AND_SECRETS_VERSION, architecture)) {
    missing.push(`has no Parameters and Secrets extension layer for ${architecture}`);
  }
  return missing;
}

/** Every region costbot deploys to with this architecture, sorted. */
export function supportedRegions(architecture: LambdaArchitecture): string[] {
  return RegionInfo.regions
    .map((r) => r.name)
    .filter((name) => missingInRegion(name, architecture).length === 0)
    .sort();
}

/**
 * Why costbot refuses `region`, as the rest of a sentence naming the setting; undefined when it
 * deploys there. Names the other architecture when that one would do.
 */
export function regionRefusal(
  region: string,
  architecture: LambdaArchitecture,
): string | undefined {
  const missing = missingInRegion(region, architecture);
  if (missing.length === 0) return undefined;
  const other: LambdaArchitecture = architecture === 'arm64' ? 'x86_64' : 'arm64';
  const hint =
    missingInRegion(region, other).length === 0 ? ` (with -c architecture=${other} it can)` : '';
  return `is "${region}", which ${missing.join(' and ')}, so costbot (${architecture}) cannot deploy there${hint}. Supported regions: ${supportedRegions(architecture).join(', ')}.`;
}
