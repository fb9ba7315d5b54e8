/**
 * Reader roles: the fetch step reads a member account's own billing metric through a role in
 * that account (deployed by `infra/stacks/reader-stack.ts`), assumed with STS.
 *
 * Sessions are kept per account until shortly before they expire, so a warm fetch function
 * serving a digest and the commands after it asks STS once per account, not once per report:
 * each AssumeRole is a round trip to STS and counts against its request quota. A failed
 * AssumeRole is never kept, so the next report tries again (a fixed trust policy takes effect
 * without a cold start).
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsCall } from '../../../common/aws-errors.ts';
import type { ReaderRole } from '../../../common/config.ts';
import { AwsRequestError } from '../../../common/errors.ts';
import type { MetricsApi } from './metrics-api.ts';

/** Temporary credentials of an assumed role. */
export interface AssumedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumeRoleInput {
  roleArn: string;
  externalId: string;
  sessionName: string;
  durationSeconds: number;
}

/** The one STS call the fetch step makes, as a narrow interface (tests inject fakes). */
export interface RoleAssumer {
  assumeRole(input: AssumeRoleInput): Promise<AssumedCredentials>;
}

/**
 * STS's minimum session: a fetch takes seconds, and a short session limits what a leaked
 * credential (e.g. from a crash dump) could read.
 */
export const SESSION_SECONDS = 900;

/**
 * A session is renewed this long before it expires: longer than the fetch function's timeout
 * (55 s), so a fetch never starts on credentials that could expire in the middle of it.
 */
export const RENEW_BEFORE_MS = 60_000;

/** STS limits RoleSessionName to 64 characters of `[\w+=,.@-]`. */
const SESSION_NAME_MAX = 64;

/** `costbot-<requestId>`: CloudTrail in the member account shows which report assumed the role. */
export function sessionName(requestId: string): string {
  return `costbot-${requestId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
}

/** AssumeRole through the SDK; failures become named errors (AccessDenied → AwsAccessDeniedError). */
export function stsRoleAssumer(client: Pick<STSClient, 'send'>): RoleAssumer {
  return {
    async assumeRole(input) {
      const out = await awsCall({ service: 'STS', operation: 'AssumeRole' }, () =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.sessionName,
            ExternalId: input.externalId,
            DurationSeconds: input.durationSeconds,
          }),
        ),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new AwsRequestError(
          `STS AssumeRole of ${input.roleArn} returned no complete credentials.`,
        );
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      };
    },
  };
}

export interface ReaderSessionsOptions {
  /** At most one role per account (`loadConfig` refuses two). */
  roles: ReaderRole[];
  externalId: string;
  sts: RoleAssumer;
  /** CloudWatch in the billing region, signed with the given credentials. */
  metricsFor: (credentials: AssumedCredentials) => MetricsApi;
  now?: () => Date;
}

interface Session {
  api: MetricsApi;
  expiration: Date;
}

/** The reader role sessions of one fetch function, cached per account until they expire. */
export class ReaderSessions {
  private readonly roles: Map<string, string>;
  private readonly sessions = new Map<string, Promise<Session>>();
  private readonly now: () => Date;

  constructor(private readonly options: ReaderSessionsOptions) {
    this.roles = new Map(options.roles.map((r) => [r.accountId, r.roleArn]));
    this.now = options.now ?? (() => new Date());
  }

  /** The reader role configured for the account, if any. */
  roleFor(accountId: string): string | undefined {
    return this.roles.get(accountId);
  }

  /**
   * Billing-region CloudWatch reads as the account's reader role; undefined when the account
   * has none. Concurrent callers for one account share one AssumeRole (the local runner runs
   * Map iterations in one process).
   */
  async metrics(accountId: string, requestId: string): Promise<MetricsApi | undefined> {
    const roleArn = this.roleFor(accountId);
    if (roleArn === undefined) return undefined;
    const cached = this.sessions.get(accountId);
    if (cached) {
      const session = await cached.catch(() => undefined);
      if (session && this.fresh(session)) return session.api;
      if (this.sessions.get(accountId) === cached) this.sessions.delete(accountId);
    }
    const pending = this.sessions.get(accountId) ?? this.assume(accountId, roleArn, requestId);
    return (await pending).api;
  }

  private fresh(session: Session): boolean {
    return session.expiration.getTime() - RENEW_BEFORE_MS > this.now().getTime();
  }

  private assume(accountId: string, roleArn: string, requestId: string): Promise<Session> {
    const pending = this.options.sts
      .assumeRole({
        roleArn,
        externalId: this.options.externalId,
        sessionName: sessionName(requestId),
        durationSeconds: SESSION_SECONDS,
      })
      .then((credentials) => ({
        api: this.options.metricsFor(credentials),
        expiration: credentials.expiration,
      }));
    this.sessions.set(accountId, pending);
    pending.catch(() => {
      if (this.sessions.get(accountId) === pending) this.sessions.delete(accountId);
    });
    return pending;
  }
}
