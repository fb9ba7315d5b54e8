/**
 * The local subscription store: a JSON file of schedule entries in COSTBOT_LOCAL_DIR, written
 * whole by rename, owner-only, checked on every read.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LocalFileError } from '../../common/errors.ts';
import { type Subscription, subscriptionInput } from '../../common/subscription.ts';
import { SUBSCRIPTION_FILE, SubscriptionFileStore } from '../../local/subscription-file-store.ts';

const DAILY: Subscription = {
  id: 'k3m9x2qa',
  channel: 'C0LOCAL',
  cadence: { every: 'day' },
  time: '09:00',
  timeZone: 'Europe/Paris',
  report: { period: 'mtd' },
  condition: { kind: 'anomaly' },
  createdBy: 'U0LOCAL',
};
const WEEKLY: Subscription = {
  id: 'w33k1y',
  channel: 'C0LOCAL',
  cadence: { every: 'week', day: 'mon' },
  time: '08:15',
  timeZone: 'UTC',
  report: { period: '7d', accounts: ['123456789012'] },
};
const ELSEWHERE: Subscription = { ...DAILY, id: 'e1sewhere', channel: 'C0OTHER' };

let dir: string;
let path: string;

describe('SubscriptionFileStore', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-subscriptions-'));
    path = join(dir, SUBSCRIPTION_FILE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('Method: create', () => {
    it('writes the schedule the deployment would hold, owner-only, and nothing else in the directory', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      // Act
      const result = await store.create(DAILY);
      // Assess
      assert.deepEqual(result, { created: true });
      const file = JSON.parse(await readFile(path, 'utf8'));
      assert.equal(file.schedules.length, 1);
      assert.equal(file.schedules[0].name, 'C0LOCAL.k3m9x2qa');
      assert.equal(file.schedules[0].expression, 'cron(0 9 * * ? *)');
      assert.equal(file.schedules[0].timeZone, 'Europe/Paris');
      assert.equal(
        file.schedules[0].description,
        'daily at 09:00 Europe/Paris · month-to-date report · if anomaly',
      );
      assert.deepEqual(file.schedules[0].input, subscriptionInput(DAILY));
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(dir), [SUBSCRIPTION_FILE]);
    });

    it('creates the local directory when it is missing', async () => {
      // Prepare
      const nested = join(dir, 'data', SUBSCRIPTION_FILE);
      // Act
      await new SubscriptionFileStore(nested).create(DAILY);
      // Assess
      assert.deepEqual(await new SubscriptionFileStore(nested).list('C0LOCAL'), [DAILY]);
    });

    it('gives created: false for a subscription that exists, and keeps the first', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      await store.create(DAILY);
      // Act
      const again = await store.create({ ...DAILY, time: '18:00' });
      // Assess
      assert.deepEqual(again, { created: false });
      assert.deepEqual(await store.list('C0LOCAL'), [DAILY]);
    });

    it('loses none of many creates at once (each change reads and writes the whole file in turn)', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      const ids = Array.from({ length: 12 }, (_, i) => `id${i}`);
      // Act
      await Promise.all(ids.map((id) => store.create({ ...WEEKLY, id })));
      // Assess
      assert.equal(await store.count(), 12);
      assert.deepEqual(await readdir(dir), [SUBSCRIPTION_FILE]);
    });
  });

  describe('Methods: list, count, all', () => {
    it("lists one channel's subscriptions by id; counts and returns every channel's", async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      for (const s of [WEEKLY, ELSEWHERE, DAILY]) await store.create(s);
      // Act
      const listed = await store.list('C0LOCAL');
      // Assess
      assert.deepEqual(listed, [DAILY, WEEKLY]);
      assert.deepEqual(await store.list('C0OTHER'), [ELSEWHERE]);
      assert.equal(await store.count(), 3);
      assert.equal(await store.count('C0LOCAL'), 2);
      assert.equal(await store.count('C0NONE'), 0);
      assert.equal((await store.all()).length, 3);
    });

    it('reads no file as no subscriptions, and does not create one', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      // Act
      const [listed, count] = [await store.list('C0LOCAL'), await store.count()];
      // Assess
      assert.deepEqual(listed, []);
      assert.equal(count, 0);
      assert.deepEqual(await readdir(dir), []);
    });
  });

  describe('Method: remove', () => {
    it('removes the one named; false for an id the channel does not have', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      await store.create(DAILY);
      await store.create(ELSEWHERE);
      // Act
      const removed = await store.remove('C0LOCAL', DAILY.id);
      const again = await store.remove('C0LOCAL', DAILY.id);
      const notHers = await store.remove('C0LOCAL', ELSEWHERE.id);
      // Assess
      assert.deepEqual([removed, again, notHers], [true, false, false]);
      assert.deepEqual(await store.all(), [ELSEWHERE]);
    });
  });

  describe('Method: onChange', () => {
    it('tells listeners of each create and remove that changed the file, until unsubscribed', async () => {
      // Prepare
      const store = new SubscriptionFileStore(path);
      let changes = 0;
      const unsubscribe = store.onChange(() => {
        changes++;
      });
      // Act
      await store.create(DAILY);
      await store.create(DAILY); // a duplicate changes nothing
      await store.remove('C0LOCAL', DAILY.id);
      await store.remove('C0LOCAL', DAILY.id); // nothing to remove
      unsubscribe();
      await store.create(WEEKLY);
      // Assess
      assert.equal(changes, 2);
    });
  });

  describe('a garbled file', () => {
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"schedules": [', /is not valid JSON/],
      ['not the shape', '[]', /is not \{"schedules": \[\.\.\.\]\}/],
      ['an entry without a name', '{"schedules": [{"expression": "x"}]}', /schedule 1 is not/],
      [
        'an entry costbot did not write',
        JSON.stringify({
          schedules: [
            { name: 'C0LOCAL.x1', expression: 'rate(5 minutes)', timeZone: 'UTC', input: {} },
          ],
        }),
        /schedule 1 \("C0LOCAL\.x1"\) is not a costbot subscription/,
      ],
    ];
    for (const [what, text, message] of cases) {
      it(`${what}: one line naming the file, and the file is left as it was`, async () => {
        // Prepare
        await writeFile(path, text);
        const store = new SubscriptionFileStore(path);
        // Act
        const listing = store.list('C0LOCAL');
        const creating = store.create(DAILY);
        // Assess
        for (const attempt of [listing, creating]) {
          await assert.rejects(attempt, (error: unknown) => {
            assert.ok(error instanceof LocalFileError);
            assert.ok(error.message.startsWith(path), error.message);
            assert.match(error.message, message);
            assert.doesNotMatch(error.message, /\n/);
            return true;
          });
        }
        assert.equal(await readFile(path, 'utf8'), text);
      });
    }
  });
});
