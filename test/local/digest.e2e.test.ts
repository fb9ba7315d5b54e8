/**
 * `npm run digest` runs once and exits, printing the stable link and the presigned URL it
 * redirects to; `--serve` keeps the local S3 server and links endpoint up so the printed link
 * opens, until Ctrl-C. The real command is spawned on the local backend.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Subscription } from '../../common/subscription.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { SUBSCRIPTION_FILE, SubscriptionFileStore } from '../../local/subscription-file-store.ts';
import { verifyPresignedUrl } from '../support/sigv4.ts';

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the digest; `onOutput` sees stdout as it grows and may return a promise the run waits
 * for (with the child passed in, to signal it). Killed after 90 s whatever happens.
 */
function digest(
  dir: string,
  args: string[],
  onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => Promise<void> | undefined,
  env: Record<string, string> = {},
): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/digest.ts', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      COSTBOT_BACKEND: 'local',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const run: Run = { status: null, signal: null, stdout: '', stderr: '' };
  let pending: Promise<void> | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    pending ??= onOutput?.(run.stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => {
    child.on('close', async (status, signal) => {
      clearTimeout(killer);
      await pending;
      resolve({ ...run, status, signal });
    });
  });
}

/** The stable link the digest printed. */
function chartUrl(stdout: string): string | undefined {
  return /^Chart \(stable link\): (\S+)$/m.exec(stdout)?.[1];
}

/** The presigned S3 URL the digest says the stable link redirects to. */
function redirectUrl(stdout: string): string | undefined {
  return /^Redirects now to:\s+(\S+)$/m.exec(stdout)?.[1];
}

describe('npm run digest', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-digest-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs once and exits 0 on its own, having printed the chart link', async () => {
    // Act
    const run = await digest(dir, []);

    // Assess
    assert.equal(run.signal, null, 'it ended by itself, not killed');
    assert.equal(run.status, 0, run.stderr);
    const url = chartUrl(run.stdout);
    const target = redirectUrl(run.stdout);
    assert.ok(url && target, run.stdout);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/[\w-]+\.\d+\.[\w-]{43}$/);
    // The presigned URL, checked as S3 would: signed with the local signer's secret.
    const parameters = JSON.parse(await readFile(join(dir, 'parameters.json'), 'utf8')) as Record<
      string,
      string
    >;
    const secret = parameters['/costbot/signer/secret-access-key'] ?? '';
    assert.match(new URL(target).pathname, /^\/costbot-charts\/charts\/.*\.png$/);
    assert.equal(await verifyPresignedUrl(target, secret), true);
    assert.doesNotMatch(run.stdout, /Serving charts/);
    await assert.rejects(fetch(url), 'its links endpoint stopped with it');
    await assert.rejects(fetch(target), 'its S3 server stopped with it');
  });

  it('prints the presigned link alone with COSTBOT_STABLE_LINKS=false', async () => {
    // Act
    const run = await digest(dir, [], undefined, { COSTBOT_STABLE_LINKS: 'false' });

    // Assess
    assert.equal(run.status, 0, run.stderr);
    assert.equal(chartUrl(run.stdout), undefined);
    assert.match(
      run.stdout,
      /^Chart: http:\/\/127\.0\.0\.1:\d+\/costbot-charts\/charts\/\S+X-Amz-Signature=/m,
    );
  });

  it('--serve keeps the link open until Ctrl-C, then exits 0', async () => {
    // Prepare
    let served: Response | undefined;

    // Act
    const run = await digest(dir, ['--serve'], (stdout, child) => {
      const url = chartUrl(stdout);
      if (!url || !/Serving charts from/.test(stdout)) return undefined;
      return (async () => {
        served = await fetch(url);
        child.kill('SIGINT');
      })();
    });

    // Assess
    assert.equal(run.status, 0, run.stderr);
    // fetch follows the stable link's 302 to the presigned S3 URL.
    assert.equal(served?.status, 200);
    assert.equal(served?.redirected, true);
    assert.equal(served?.headers.get('content-type'), 'image/png');
  });

  it('refuses a bad --period in one line with status 2', async () => {
    // Act
    const run = await digest(dir, ['--period', 'fortnight']);

    // Assess
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^--period must be one of mtd, 7d, 30d, last-month; got "fortnight"/);
  });

  describe('--subscription <id>', () => {
    const base: Omit<Subscription, 'id'> = {
      channel: 'C0LOCAL',
      cadence: { every: 'day' },
      time: '09:00',
      timeZone: 'Europe/Paris',
      report: { period: '7d', service: 'AmazonEC2' },
    };
    before(async () => {
      const store = new SubscriptionFileStore(join(dir, SUBSCRIPTION_FILE));
      await store.create({ ...base, id: 'always1' });
      await store.create({
        ...base,
        id: 'never1',
        condition: { kind: 'yesterday-above', dollars: 1_000_000 },
      });
    });

    it('runs the subscription now and prints what it posted', async () => {
      // Act
      const run = await digest(dir, ['--subscription', 'always1']);

      // Assess
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /AmazonEC2/);
      assert.ok(chartUrl(run.stdout), run.stdout);
    });

    it('says why nothing was posted when its condition does not hold', async () => {
      // Act
      const run = await digest(dir, ['--subscription', 'never1']);

      // Assess
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Not posted: yesterday \$[\d,.]+ is not above \$1,000,000$/m);
      assert.equal(chartUrl(run.stdout), undefined, 'no chart was made');
    });

    it('refuses an unknown id in one line with status 2', async () => {
      // Act
      const run = await digest(dir, ['--subscription', 'nope']);

      // Assess
      assert.equal(run.status, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /^No subscription "nope" in .*subscriptions\.json/);
    });

    it('refuses --period with it (the subscription has its own) in one line with status 2', async () => {
      // Act
      const run = await digest(dir, ['--subscription', 'always1', '--period', '30d']);

      // Assess
      assert.equal(run.status, 2);
      assert.match(run.stderr.trim(), /^--subscription runs with its own channel and report/);
    });
  });

  describe('--as-of <YYYY-MM-DD>', () => {
    /** The demo's EC2 spike is three days before today (the real clock, as the command's). */
    const today = new Date().toISOString().slice(0, 10);
    const daysBefore = (n: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

    it('the day after the spike: the report flags EC2 against its baseline', async () => {
      // Act
      const run = await digest(dir, ['--as-of', daysBefore(2)]);

      // Assess
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Unusual spend yesterday \(services\)/);
      assert.match(
        run.stdout,
        /AmazonEC2 \$[\d,.]+ yesterday, median \$[\d,.]+ ± \$[\d,.]+ \(MAD\) of the 28 days before: \+\$[\d,.]+/,
      );
      assert.match(run.stdout, new RegExp(`Yesterday \\(${daysBefore(3)}\\)`));
    });

    it('a steady day: the report flags nothing', async () => {
      // Act
      const run = await digest(dir, ['--as-of', daysBefore(10)]);

      // Assess
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`Yesterday \\(${daysBefore(11)}\\)`));
      assert.doesNotMatch(run.stdout, /Unusual/);
    });

    for (const [bad, says] of [
      [
        '2026-02-30',
        /^--as-of must be a day as YYYY-MM-DD, e\.g\. 2026-11-25; got "2026-02-30"\.$/,
      ],
      ['yesterday', /^--as-of must be a day as YYYY-MM-DD/],
      [
        '2999-01-01',
        /^--as-of 2999-01-01 is after today \(\d{4}-\d{2}-\d{2} UTC\): there is no data yet\.$/,
      ],
    ] as const) {
      it(`refuses --as-of ${bad} in one line with status 2`, async () => {
        // Act
        const run = await digest(dir, ['--as-of', bad]);

        // Assess
        assert.equal(run.status, 2);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        assert.match(run.stderr.trim(), says);
        assert.equal(run.stdout, '');
      });
    }
  });
});
