/**
 * Subscriptions on `npm start`: a JSON file in COSTBOT_LOCAL_DIR (`subscriptions.json`) that
 * holds what the deployed schedules hold, one entry per schedule: its name
 * (`<channel>.<id>`), cron expression, time zone and target input. The same mapping
 * (`common/subscription.ts`) writes and reads both stores, so a subscription made on
 * `npm start` is the schedule it would be deployed; `local/subscription-scheduler.ts` fires it.
 *
 * @example
 * const store = new SubscriptionFileStore(join(config.localDir, 'subscriptions.json'));
 * store.onChange(() => scheduler.refresh());
 * await store.create(subscription);
 *
 * The file is written whole to a temporary file and renamed over the old one (a crash never
 * leaves half a file), owner-only (0600) like the local parameter file: subscriptions name
 * channels and users. Read on every call, so a hand edit counts at once; a file that is not
 * valid is reported in one line naming it and an entry, and never rewritten.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalFileError } from '../common/errors.ts';
import { plainText } from '../common/slack-message.ts';
import {
  cronExpression,
  describeSubscription,
  type Subscription,
  type SubscriptionStore,
  scheduleName,
  subscriptionFromSchedule,
  subscriptionInput,
} from '../common/subscription.ts';
import { ensureLocalDir, SECRET_FILE_MODE } from './parameter-file.ts';

/** One schedule as the file keeps it: what EventBridge Scheduler keeps, with the input parsed. */
export interface ScheduleEntry {
  name: string;
  expression: string;
  timeZone: string;
  /** In words, as the deployed schedule's description. */
  description?: string;
  input: unknown;
}

interface StoreFile {
  schedules: ScheduleEntry[];
}

/** The file's name in COSTBOT_LOCAL_DIR. */
export const SUBSCRIPTION_FILE = 'subscriptions.json';

const FIX = 'fix it by hand, or delete it (its subscriptions are then gone)';

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export class SubscriptionFileStore implements SubscriptionStore {
  private readonly listeners = new Set<() => void>();
  /** Changes run one after another: each reads the file, then writes it whole. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Calls `listener` after each create and remove through this store; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create(subscription: Subscription): Promise<{ created: boolean }> {
    return this.change<{ created: boolean }>((file) => {
      const name = scheduleName(subscription.channel, subscription.id);
      if (file.schedules.some((s) => s.name === name)) return { result: { created: false } };
      const entry: ScheduleEntry = {
        name,
        expression: cronExpression(subscription),
        timeZone: subscription.timeZone,
        description: plainText(describeSubscription(subscription)),
        input: subscriptionInput(subscription),
      };
      return { result: { created: true }, next: { schedules: [...file.schedules, entry] } };
    });
  }

  async list(channel: string): Promise<Subscription[]> {
    return (await this.all())
      .filter((s) => s.channel === channel)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(channel: string, id: string): Promise<Subscription | null> {
    return (await this.list(channel)).find((s) => s.id === id) ?? null;
  }

  /** The file is read whole anyway: `atMost` saves nothing here and is not needed. */
  async count(channel?: string): Promise<number> {
    const all = await this.all();
    return channel === undefined ? all.length : all.filter((s) => s.channel === channel).length;
  }

  remove(channel: string, id: string): Promise<boolean> {
    return this.change((file) => {
      const name = scheduleName(channel, id);
      const schedules = file.schedules.filter((s) => s.name !== name);
      if (schedules.length === file.schedules.length) return { result: false };
      return { result: true, next: { schedules } };
    });
  }

  /** Every channel's subscriptions (the local scheduler fires them all). */
  async all(): Promise<Subscription[]> {
    return (await this.read()).subscriptions;
  }

  private change<T>(apply: (file: StoreFile) => { result: T; next?: StoreFile }): Promise<T> {
    const run = this.queue.then(async () => {
      const { result, next } = apply(await this.read());
      if (next) {
        await this.write(next);
        for (const listener of this.listeners) listener();
      }
      return result;
    });
    // A failed change must not block the ones after it; its caller still sees the error.
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * The file, checked whole (every entry must read back as a subscription, so a change never
   * writes back a bad entry); no file yet is no subscriptions. Never changes it.
   */
  private async read(): Promise<StoreFile & { subscriptions: Subscription[] }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') return { schedules: [], subscriptions: [] };
      throw new LocalFileError(this.path, `cannot be read (${errnoCode(cause)}): ${FIX}.`, {
        cause,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new LocalFileError(this.path, `is not valid JSON (${why}): ${FIX}.`, { cause });
    }
    const schedules = (parsed as Partial<StoreFile> | null)?.schedules;
    if (!Array.isArray(schedules)) {
      throw new LocalFileError(this.path, `is not {"schedules": [...]}: ${FIX}.`);
    }
    const subscriptions = schedules.map((entry: unknown, index) => {
      const e = entry as Partial<ScheduleEntry> | null;
      if (
        typeof e !== 'object' ||
        e === null ||
        typeof e.name !== 'string' ||
        typeof e.expression !== 'string' ||
        typeof e.timeZone !== 'string' ||
        !('input' in e)
      ) {
        throw new LocalFileError(
          this.path,
          `schedule ${index + 1} is not {"name", "expression", "timeZone", "input"}: ${FIX}.`,
        );
      }
      const subscription = subscriptionFromSchedule({
        name: e.name,
        expression: e.expression,
        timeZone: e.timeZone,
        input: JSON.stringify(e.input),
      });
      if (!subscription) {
        throw new LocalFileError(
          this.path,
          `schedule ${index + 1} ("${e.name}") is not a costbot subscription: ${FIX}.`,
        );
      }
      return subscription;
    });
    return { schedules: schedules as ScheduleEntry[], subscriptions };
  }

  /** Whole, owner-only, by rename: readers see the old file or the new one, never a part. */
  private async write(file: StoreFile): Promise<void> {
    await ensureLocalDir(dirname(this.path));
    const temporary = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: SECRET_FILE_MODE });
      await rename(temporary, this.path);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new LocalFileError(this.path, `cannot be written (${errnoCode(cause)}).`, { cause });
    }
  }
}
