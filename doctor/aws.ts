/**
 * IAM and STS for the doctor, through the SDK: only `npm run doctor` (the deployer's tool)
 * imports this, so the bot's Lambda bundle carries no IAM or STS client.
 *
 * Every call goes through `awsCall`, so a refusal arrives as `AwsAccessDeniedError` with AWS's
 * own text, which the AccessDenied explainer reads.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCall } from '../common/aws-errors.ts';
import type { IdentityApi } from './types.ts';

/** The role name part of a role ARN (paths dropped), for GetRole. */
function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

export function sdkIdentityApi(clients: {
  iam: Pick<IAMClient, 'send'>;
  sts: Pick<STSClient, 'send'>;
}): IdentityApi {
  const { iam, sts } = clients;
  return {
    async callerArn() {
      const out = await awsCall({ service: 'STS', operation: 'GetCallerIdentity' }, () =>
        sts.send(new GetCallerIdentityCommand({})),
      );
      return out.Arn ?? '';
    },
    async accessKeyOwner(accessKeyId) {
      const out = await awsCall({ service: 'IAM', operation: 'GetAccessKeyLastUsed' }, () =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
      );
      const lastUsed = out.AccessKeyLastUsed?.LastUsedDate;
      return { userName: out.UserName ?? '', ...(lastUsed ? { lastUsed } : {}) };
    },
    async listAccessKeys(userName) {
      const out = await awsCall({ service: 'IAM', operation: 'ListAccessKeys' }, () =>
        iam.send(new ListAccessKeysCommand({ UserName: userName })),
      );
      return (out.AccessKeyMetadata ?? []).map((k) => ({
        accessKeyId: k.AccessKeyId ?? '',
        status: k.Status ?? 'Unknown',
        ...(k.CreateDate ? { created: k.CreateDate } : {}),
      }));
    },
    async assumeRole(roleArn, externalId) {
      const out = await awsCall({ service: 'STS', operation: 'AssumeRole' }, () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'costbot-doctor',
            DurationSeconds: 900,
            ...(externalId ? { ExternalId: externalId } : {}),
          }),
        ),
      );
      return { arn: out.AssumedRoleUser?.Arn ?? roleArn };
    },
    async trustPolicy(roleArn) {
      const out = await awsCall({ service: 'IAM', operation: 'GetRole' }, () =>
        iam.send(new GetRoleCommand({ RoleName: roleName(roleArn) })),
      );
      const doc = out.Role?.AssumeRolePolicyDocument ?? '{}';
      // IAM returns the document URL-encoded.
      return JSON.parse(decodeURIComponent(doc));
    },
  };
}

/** Clients for `sdkIdentityApi`: IAM is global, STS regional; one attempt each, as the steps. */
export function sdkIdentityClients(): { iam: IAMClient; sts: STSClient } {
  return { iam: new IAMClient({ maxAttempts: 1 }), sts: new STSClient({ maxAttempts: 1 }) };
}
