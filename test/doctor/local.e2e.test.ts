/**
 * `npm run doctor` against the local defaults: a clean setup passes (Slack is a warning: there
 * is none locally), and each thing broken on purpose fails with its message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../common/config.ts';
import { doctorCli, USAGE } from '../../doctor/cli.ts';
import { runDoctor } from '../../doctor/run.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { localDoctorDeps } from '../../local/doctor-deps.ts';
import { startLocalS3 } from '../../local/s3-server.ts';
import { byId } from './support.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

interface Run {
  code: number;
  out: string;
  err: string;
}

async function doctor(env: Record<string, string>, argv: string[] = []): Promise<Run> {
  let out = '';
  let err = '';
  const code = await doctorCli(
    argv,
    env,
    {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      columns: 160,
    },
    { now: () => NOW },
  );
  return { code, out, err };
}

/** The table row of a check, by the start of its title. */
function row(out: string, title: string): string {
  const line = out.split('\n').find((l) => l.slice(8).startsWith(title));
  assert.ok(line, `no row "${title}" in:\n${out}`);
  return line;
}

describe('npm run doctor on the local defaults', () => {
  let dir: string;
  let env: Record<string, string>;
  let file: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-doctor-local-'));
    env = { COSTBOT_LOCAL_DIR: dir, COSTBOT_LOCAL_S3_PORT: '0', COSTBOT_LOCAL_LINKS_PORT: '0' };
    file = join(dir, 'parameters.json');
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await rm(file, { force: true });
  });

  it('passes on a fresh directory, warning only that there is no Slack', async () => {
    // Act
    const run = await doctor(env);

    // Assess
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, /^costbot doctor \(local backend\)/);
    assert.match(run.out, /15 checks: 14 ok, 1 warn, 0 fail/);
    assert.match(
      row(run.out, 'Slack token is valid'),
      /^WARN\s+Slack token is valid\s+No Slack configured \(local\)/,
    );
    assert.match(
      row(run.out, 'Bucket costbot-charts'),
      /^ok .*PutObject charts\/doctor-check\.txt succeeded/,
    );
    assert.match(row(run.out, 'Billing metrics'), /^ok .*EstimatedCharges series/);
    assert.match(row(run.out, 'Next morning digest'), /^ok .*Mon, 23 Nov 2026, 09:00 UTC/);
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    assert.equal(
      Object.keys(written).length,
      5,
      'the parameter file was created as a local run would',
    );
  });

  it('fails a parameter missing from the file, saying where to add it', async () => {
    // Prepare
    await doctor(env);
    const values = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    delete values['/costbot/slack/bot-token'];
    await writeFile(file, JSON.stringify(values));

    // Act
    const run = await doctor(env);

    // Assess
    assert.equal(run.code, 1);
    assert.match(
      row(run.out, 'Parameter /costbot/slack/bot-token'),
      /^FAIL .*\/costbot\/slack\/bot-token does not exist\./,
    );
    assert.ok(run.out.includes(`Fix: Add it to ${file}`), run.out);
  });

  it('fails a session key (ASIA…) in the signer parameter', async () => {
    // Prepare
    await doctor(env);
    const values = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    const id = values['/costbot/signer/access-key-id'] ?? '';
    values['/costbot/signer/access-key-id'] = `ASIA${id.slice(4)}`;
    await writeFile(file, JSON.stringify(values));

    // Act
    const run = await doctor(env);

    // Assess
    assert.equal(run.code, 1);
    assert.match(
      row(run.out, 'Link-signing key is a permanent'),
      /^FAIL .*temporary session key \(ASIA…\)/,
    );
    assert.match(
      row(run.out, 'Lifetime of a link'),
      /^FAIL\s+Lifetime of a link signed now\s+Hours at most/,
    );
  });

  it('warns that reader roles cannot be checked locally, from -c readerRoleArns', async () => {
    // Prepare
    const role = 'arn:aws:iam::111111111111:role/costbot-cloudwatch-reader';

    // Act
    const run = await doctor(env, ['--json', '-c', `readerRoleArns=${role}`]);

    // Assess
    assert.equal(run.code, 0);
    const results = JSON.parse(run.out) as { id: string; status: string; detail: string }[];
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('reader')).map((r) => [r.id, r.status, r.detail]),
      [
        [
          `reader.${role}`,
          'warn',
          'Cannot tell: the local backend has no STS; run with COSTBOT_BACKEND=aws.',
        ],
      ],
    );
  });

  it('fails a schedule that cannot run, from -c scheduleCron', async () => {
    // Act
    const run = await doctor(env, ['-c', 'scheduleCron=cron(0 25 ? * MON-FRI *)']);

    // Assess
    assert.equal(run.code, 1);
    assert.match(
      row(run.out, 'Next morning digest'),
      /^FAIL .*hours: "25" is not a value from 0 to 23/,
    );
  });

  it('computes the next run in the configured time zone', async () => {
    // Act
    const run = await doctor(env, ['--json', '-c', 'scheduleTimeZone=Europe/Berlin']);

    // Assess
    const results = JSON.parse(run.out) as { id: string; detail: string }[];
    assert.match(
      results.find((r) => r.id === 'schedule.next')?.detail ?? '',
      /^Mon, 23 Nov 2026, 09:00 Europe\/Berlin \(2026-11-23 08:00 UTC\)/,
    );
  });

  it('prints its usage for --help, and exits 2 for a bad option or setting', async () => {
    // Act
    const help = await doctor(env, ['--help']);
    const badOption = await doctor(env, ['--frobnicate']);
    const badSetting = await doctor({ ...env, COSTBOT_BACKEND: 'cloud' });
    const badContext = await doctor(env, ['-c', 'scheduleTimeZone=Mars/Olympus']);

    // Assess
    assert.equal(help.code, 0);
    assert.equal(help.out, `${USAGE}\n`);
    assert.equal(badOption.code, 2);
    assert.match(badOption.err, /Unknown option '--frobnicate'/);
    assert.equal(badSetting.code, 2);
    assert.match(
      badSetting.err,
      /^Configuration error: COSTBOT_BACKEND: must be one of local, aws/,
    );
    assert.equal(badContext.code, 2);
    assert.match(badContext.err, /scheduleTimeZone/);
  });

  it('fails a bucket the local S3 server does not have', async () => {
    // Prepare
    const s3 = await startLocalS3({
      directory: join(dir, 's3-other'),
      port: 0,
      bucket: 'other-bucket',
      keys: [],
    });
    const config = loadConfig(env);
    await doctor(env);

    // Act
    const results = await runDoctor(localDoctorDeps(config, { s3Endpoint: s3.endpoint }), {
      only: ['bucket'],
    });
    await s3.stop();

    // Assess
    const bucket = byId(results, 'bucket.put');
    assert.equal(bucket.status, 'fail');
    assert.equal(
      bucket.detail,
      'The bucket costbot-charts does not exist (or not in this account and region).',
    );
  });
});

describe('doctor/main.ts', () => {
  it('prints the table and exits 1 when a check fails', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'costbot-doctor-cli-'));
    await writeFile(join(dir, 'parameters.json'), '{}');

    // Act
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'doctor/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        COSTBOT_BACKEND: 'local',
        COSTBOT_LOCAL_DIR: dir,
        COSTBOT_LOCAL_S3_PORT: '0',
        COSTBOT_LOCAL_LINKS_PORT: '0',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    await rm(dir, { recursive: true, force: true });

    // Assess
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /^FAIL\s+Parameter \/costbot\/signer\/access-key-id/m);
    assert.match(child.stdout, /checks: .* 4 fail|checks: .*fail/);
  });
});
