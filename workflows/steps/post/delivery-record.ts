/**
 * One delivery per report, however often Post runs: a record per `requestId` and kind
 * (`report` or `failure` notice) in the charts bucket, `deliveries/<requestId>/<kind>.json`.
 *
 *   const records = deliveryRecords(s3RecordStore(s3, bucket));
 *   const { delivery, posted } = await records.once(requestId, 'report', () => slack.post(...));
 *
 * Before posting, the attempt claims the record with a conditional put (`If-None-Match: *`):
 * only one attempt of one execution holds it. As soon as Slack answers, the record is
 * rewritten with the delivery (via, channel, ts); a later attempt (a retried Post, a second
 * execution of the same scheduled digest) finds it and returns it without posting. A Slack
 * failure releases the claim, so the retry may post. An attempt that finds another's claim
 * throws `DeliveryInProgressError` (retried); a claim older than `CLAIM_LAPSE_MS` belonged to
 * an attempt that is gone, and is taken over. docs/reliability.md ("Delivery") states what
 * remains: the window between Slack's answer and the record's write.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCall, classifyAwsError } from '../../../common/aws-errors.ts';
import { DELIVERY_RECORD_PREFIX, type Delivery } from '../../../common/contract.ts';
import { DeliveryInProgressError } from '../../../common/errors.ts';
import { isS3Status, putJsonObject, readObjectText } from '../../../common/s3-objects.ts';

/** The few object operations a delivery record needs; one per backend. */
export interface RecordStore {
  /** The object's text, or undefined when there is none. */
  read(key: string): Promise<string | undefined>;
  /** Writes only if there is no object at `key`; false when there is one. */
  create(key: string, body: string): Promise<boolean>;
  /** Writes, replacing what is there. */
  write(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export type DeliveryKind = 'report' | 'failure';

/**
 * A claim older than this belongs to an attempt that is gone: the Post task's timeout (30 s),
 * past which Step Functions has abandoned the attempt whatever it was doing.
 */
export const CLAIM_LAPSE_MS = 30_000;

type StoredRecord =
  | { state: 'posting'; claimedAt: string }
  | { state: 'delivered'; delivery: Delivery; deliveredAt: string };

/** What is known of a delivery: done, being done by another attempt, or not (any more) begun. */
export type DeliveryStatus =
  | { state: 'delivered'; delivery: Delivery }
  | { state: 'posting' }
  | { state: 'none' };

export interface DeliveryOutcome {
  delivery: Delivery;
  /** False when the record said it was already delivered: nothing was posted. */
  posted: boolean;
  /** False when Slack took the message but the record could not be written afterwards. */
  recorded: boolean;
  /** Set when `recorded` is false: why. */
  recordError?: unknown;
}

export interface DeliveryRecords {
  status(requestId: string, kind: DeliveryKind): Promise<DeliveryStatus>;
  /** Posts with `post` unless this report's `kind` was delivered; records what Slack answered. */
  once(
    requestId: string,
    kind: DeliveryKind,
    post: () => Promise<Delivery>,
  ): Promise<DeliveryOutcome>;
}

export function deliveryRecordKey(requestId: string, kind: DeliveryKind): string {
  return `${DELIVERY_RECORD_PREFIX}${requestId}/${kind}.json`;
}

function parse(text: string | undefined): StoredRecord | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as StoredRecord);
}

export function deliveryRecords(
  store: RecordStore,
  now: () => Date = () => new Date(),
): DeliveryRecords {
  const lapsed = (record: StoredRecord) =>
    record.state === 'posting' && now().getTime() - Date.parse(record.claimedAt) >= CLAIM_LAPSE_MS;

  function statusOf(record: StoredRecord | undefined): DeliveryStatus {
    if (record?.state === 'delivered') return { state: 'delivered', delivery: record.delivery };
    if (record && !lapsed(record)) return { state: 'posting' };
    return { state: 'none' };
  }

  const inProgress = (key: string) =>
    new DeliveryInProgressError(
      `Another attempt is delivering this message (${key}); this one waits for its record.`,
    );

  return {
    async status(requestId, kind) {
      return statusOf(parse(await store.read(deliveryRecordKey(requestId, kind))));
    },

    async once(requestId, kind, post) {
      const key = deliveryRecordKey(requestId, kind);
      const claim = JSON.stringify({ state: 'posting', claimedAt: now().toISOString() });
      const existing = parse(await store.read(key));
      const before = statusOf(existing);
      if (before.state === 'delivered') {
        return { delivery: before.delivery, posted: false, recorded: true };
      }
      if (before.state === 'posting') throw inProgress(key);
      if (existing) {
        // A lapsed claim: its attempt is gone, so this one takes over.
        await store.write(key, claim);
      } else if (!(await store.create(key, claim))) {
        const raced = statusOf(parse(await store.read(key)));
        if (raced.state === 'delivered') {
          return { delivery: raced.delivery, posted: false, recorded: true };
        }
        throw inProgress(key);
      }

      let delivery: Delivery;
      try {
        delivery = await post();
      } catch (error) {
        // Nothing reached Slack as far as this attempt knows: let the retry post.
        await store.remove(key);
        throw error;
      }
      const record: StoredRecord = {
        state: 'delivered',
        delivery,
        deliveredAt: now().toISOString(),
      };
      try {
        await store.write(key, JSON.stringify(record));
        return { delivery, posted: true, recorded: true };
      } catch (recordError) {
        // The message is in Slack: failing now would make the retry post it again.
        return { delivery, posted: true, recorded: false, recordError };
      }
    },
  };
}

/** Longest wait for one S3 call of the delivery record, so a hung S3 cannot use up Post's time. */
export const RECORD_TIMEOUT_MS = 3_000;

/**
 * The records as S3 objects. `create` is S3's conditional write: S3 answers 412 when the
 * object exists and 409 when another conditional write of it is in flight.
 */
export function s3RecordStore(s3: S3Client, bucket: string): RecordStore {
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    awsCall({ service: 'S3', operation }, fn);
  const named = (operation: string, error: unknown) =>
    classifyAwsError(error, { service: 'S3', operation });
  return {
    async read(key) {
      try {
        return await readObjectText(s3, bucket, key);
      } catch (error) {
        throw named('GetObject', error);
      }
    },
    async create(key, body) {
      try {
        await putJsonObject(s3, bucket, key, body, { ifNoneMatch: true });
        return true;
      } catch (error) {
        if (isS3Status(error, 412) || isS3Status(error, 409)) return false;
        throw named('PutObject', error);
      }
    },
    async write(key, body) {
      await call('PutObject', () => putJsonObject(s3, bucket, key, body));
    },
    async remove(key) {
      await call('DeleteObject', () =>
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
      );
    },
  };
}

/**
 * For an S3 that ignores `If-None-Match` (s3rver 3.7, the local backend's): `create` reads
 * before it writes, one call per key at a time. Exact within one process, which is how the
 * local backend runs every execution.
 */
export function singleProcessRecordStore(inner: RecordStore): RecordStore {
  const queues = new Map<string, Promise<unknown>>();
  return {
    ...inner,
    create(key, body) {
      const previous = queues.get(key) ?? Promise.resolve();
      const next = previous.then(async () => {
        if ((await inner.read(key)) !== undefined) return false;
        await inner.write(key, body);
        return true;
      });
      const settled = next.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return next;
    },
  };
}
