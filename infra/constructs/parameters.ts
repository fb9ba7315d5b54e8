/**
 * The five SecureString parameters costbot reads. CloudFormation cannot create SecureString
 * parameters, so this construct creates nothing: it names them (under a prefix, so two
 * deployments can share an account), builds their ARNs and grants read access. `npm run setup`
 * writes the values.
 */
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type ParameterNames, SETTINGS } from '../../common/config.ts';

export interface CostbotParametersProps {
  /** e.g. `/costbot`: names become `/costbot/slack/bot-token` and so on. */
  prefix: string;
}

const DEFAULT_PREFIX = '/costbot';

/** A setting's default name, moved under `prefix`. */
function under(prefix: string, setting: keyof typeof SETTINGS): string {
  return `${prefix}${SETTINGS[setting].default.slice(DEFAULT_PREFIX.length)}`;
}

export class CostbotParameters extends Construct {
  readonly names: ParameterNames;

  constructor(scope: Construct, id: string, props: CostbotParametersProps) {
    super(scope, id);
    this.names = {
      signerAccessKeyId: under(props.prefix, 'COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID'),
      signerSecretAccessKey: under(props.prefix, 'COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY'),
      slackBotToken: under(props.prefix, 'COSTBOT_PARAM_SLACK_BOT_TOKEN'),
      slackSigningSecret: under(props.prefix, 'COSTBOT_PARAM_SLACK_SIGNING_SECRET'),
      linkKey: under(props.prefix, 'COSTBOT_PARAM_LINK_KEY'),
    };
  }

  /** The environment variables that tell `common/config.ts` these names. */
  environment(): Record<string, string> {
    return {
      COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID: this.names.signerAccessKeyId,
      COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY: this.names.signerSecretAccessKey,
      COSTBOT_PARAM_SLACK_BOT_TOKEN: this.names.slackBotToken,
      COSTBOT_PARAM_SLACK_SIGNING_SECRET: this.names.slackSigningSecret,
      COSTBOT_PARAM_LINK_KEY: this.names.linkKey,
    } satisfies Partial<Record<keyof typeof SETTINGS, string>>;
  }

  arn(name: string): string {
    return Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      // Hierarchical names start with '/', which the ARN already has after "parameter".
      resourceName: name.replace(/^\//, ''),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets `grantee` read and decrypt exactly `names`: `ssm:GetParameters` (the SDK reader batches)
   * and `ssm:GetParameter` (the Parameters and Secrets extension reads one at a time), plus
   * `kms:Decrypt` only when SSM asks on the caller's behalf (`kms:ViaService`) for one of these
   * parameters (SSM passes the parameter's ARN as encryption context `PARAMETER_ARN`). With the
   * default `aws/ssm` key the key policy already allows this; the statement is what a
   * customer-managed key would need, and it never lets the role decrypt anything directly.
   */
  grantRead(grantee: IGrantable, names: string[]): void {
    const arns = names.map((name) => this.arn(name));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: arns,
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DecryptParametersViaSsm',
        actions: ['kms:Decrypt'],
        // The key id is not known at synth time (aws/ssm or a customer key): any key of this
        // account and region, narrowed by the conditions below.
        // Pseudo parameters, not the stack's literal account and region, so the cdk-nag finding
        // (and its acknowledgement) reads the same in every environment.
        resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
        conditions: {
          StringEquals: {
            'kms:ViaService': `ssm.${Stack.of(this).region}.amazonaws.com`,
            'kms:EncryptionContext:PARAMETER_ARN': arns,
          },
        },
      }),
    );
  }
}
