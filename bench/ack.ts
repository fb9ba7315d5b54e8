/**
 * 1. Ack latency of `/aws-cost`: (a) at the command listener in-process, (b) over HTTP to the
 * bot as served locally (Express receiver, signature verification) with concurrent clients
 * sending signed commands, each with its own trigger id.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createAwsCostCommand } from '../bot/listeners/commands/aws-cost.ts';
import type { ReportStarter } from '../bot/starter.ts';
import { createLogger } from '../common/log.ts';
import { signedHeaders } from '../local/console/signing.ts';
import { BENCH_SIGNING_SECRET, benchCommand, benchCommandBody } from './slash-command.ts';
import { percentile } from './stats.ts';
import { REPO_ROOT } from './support.ts';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

export interface InProcessAck {
  calls: number;
  /** Call to `ack()`. */
  ack: Percentiles;
  /** Call to the listener's return (ack, start, log line). */
  listener: Percentiles;
}

type CommandArgs = Parameters<ReturnType<typeof createAwsCostCommand>>[0];

/** (a) The listener with a fake ack and a starter that does nothing; `calls` after a warm-up. */
export async function ackInProcess(options: {
  calls: number;
  warmup: number;
  maxSeconds: number;
}): Promise<InProcessAck> {
  const starter: ReportStarter = {
    start: async (request) => ({ executionName: request.requestId, started: true }),
  };
  const listener = createAwsCostCommand({
    starter,
    digestChannel: '#costs',
    // Production logs one info line per command; it is formatted here and thrown away.
    log: createLogger({ component: 'bot' }, { level: 'info', write: () => {} }),
  });
  const acks: number[] = [];
  const totals: number[] = [];
  const deadline = performance.now() + options.maxSeconds * 1000;
  for (let n = 0; n < options.warmup + options.calls && performance.now() < deadline; n++) {
    let ackedAt = Number.NaN;
    const args = {
      command: benchCommand(n),
      ack: async () => {
        ackedAt = performance.now();
      },
      respond: async () => {
        throw new Error('the listener should not respond when the start succeeds');
      },
    } as unknown as CommandArgs;
    const t0 = performance.now();
    await listener(args);
    const t1 = performance.now();
    if (n >= options.warmup) {
      acks.push(ackedAt - t0);
      totals.push(t1 - t0);
    }
  }
  if (acks.some((v) => Number.isNaN(v))) throw new Error('a command was never acknowledged');
  return { calls: acks.length, ack: percentiles(acks), listener: percentiles(totals) };
}

export interface HttpRun {
  connections: number;
  seconds: number;
  requests: number;
  /** Requests per second. */
  throughput: number;
  latency: Percentiles;
}

export interface HttpAck {
  /** One client at a time: the latency of a single command, no queueing. */
  single: HttpRun;
  /** `connections` clients sending back to back: the bot saturated. */
  concurrent: HttpRun;
  non2xx: number;
  errors: number;
  /** Reports the bot's starter was asked for during the concurrent run (one per command). */
  started: number;
  /** CPU time the bot's process spent per command during the concurrent run (user + system). */
  cpuMsPerAck: number;
}

interface AckServer {
  port: number;
  /** Starts the measured part: what `stop` reports counts from here. */
  mark(): void;
  stop(): Promise<{ started: number; cpuMs: number }>;
}

async function startAckServer(): Promise<AckServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ack-server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<Record<string, number>> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      const line = await lines.next();
      if (line.done) throw new Error(`ack server ended before ${what}`);
      return JSON.parse(line.value) as Record<string, number>;
    } finally {
      clearTimeout(timer);
    }
  };
  const { port } = await next('listening');
  return {
    port: port as number,
    mark: () => child.stdin.write('mark\n'),
    stop: async () => {
      child.stdin.end();
      const { started, cpuMs } = await next('its report');
      return { started: started as number, cpuMs: cpuMs as number };
    },
  };
}

async function load(
  url: string,
  options: { connections: number; seconds: number; first: number },
  latencies?: number[],
) {
  let n = options.first;
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    // Bounded in count as well as time.
    maxOverallRequests: 1_000_000,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        // A fresh command (its own trigger id) signed now, for every request sent.
        setupRequest: (request) => {
          const body = benchCommandBody(n++);
          return { ...request, body, headers: signedHeaders(BENCH_SIGNING_SECRET, body) };
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    if (latencies && latencies.length < 2_000_000) latencies.push(responseTime);
  });
  // autocannon ends on its own after `seconds`; this only guards against a hang.
  const guard = setTimeout(() => instance.stop(), (options.seconds + 20) * 1000);
  try {
    return { result: await instance, sent: n - options.first };
  } finally {
    clearTimeout(guard);
  }
}

/**
 * (b) Against the bot's HTTP endpoint: a warm-up, one client for `singleSeconds`, then
 * `connections` clients for `seconds`.
 */
export async function ackOverHttp(options: {
  connections: number;
  seconds: number;
  singleSeconds: number;
  warmupSeconds: number;
}): Promise<HttpAck> {
  const server = await startAckServer();
  const url = `http://127.0.0.1:${server.port}`;
  const run = async (connections: number, seconds: number, first: number) => {
    const latencies: number[] = [];
    const { result } = await load(url, { connections, seconds, first }, latencies);
    const measured: HttpRun = {
      connections,
      seconds: result.duration,
      requests: latencies.length,
      throughput: latencies.length / result.duration,
      latency: percentiles(latencies),
    };
    return { measured, result };
  };
  try {
    const warm = await load(url, { connections: 10, seconds: options.warmupSeconds, first: 0 });
    const single = await run(1, options.singleSeconds, 10_000_000);
    server.mark();
    const concurrent = await run(options.connections, options.seconds, 20_000_000);
    const { started, cpuMs } = await server.stop();
    const all = [warm.result, single.result, concurrent.result];
    return {
      single: single.measured,
      concurrent: concurrent.measured,
      non2xx: all.reduce((sum, r) => sum + r.non2xx, 0),
      errors: all.reduce((sum, r) => sum + r.errors, 0),
      started,
      cpuMsPerAck: cpuMs / concurrent.measured.requests,
    };
  } catch (error) {
    await server.stop().catch(() => 0);
    throw error;
  }
}
