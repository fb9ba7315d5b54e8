/**
 * The one top-level handler of costbot's commands (`npm start`, `npm run digest`, `npm run
 * doctor`), and the start-up problems it explains. A problem the person running the command
 * can fix (a bad setting, a bad local file, a port in use, an unreachable parameter store; any
 * of costbot's named errors) is one line on stderr that names the setting or file and what to
 * do, exit status 2, no stack trace. Anything else is a bug: its stack, exit status 1.
 *
 * @example
 * runCli(async () => {
 *   const config = loadConfig(process.env);
 *   return 0; // exit now; `undefined` leaves servers running
 * });
 */
import { awsEnvironment } from '../common/config.ts';
import {
  AwsUnavailableError,
  ConfigError,
  CostbotError,
  ServiceUnreachableError,
} from '../common/errors.ts';

type Env = Record<string, string | undefined>;

/** Exit status for a problem the user can fix (settings, files, ports, services). */
export const EXIT_SETUP = 2;

/** The one line printed for a failure, and the exit status. */
export function explainFailure(error: unknown): { line: string; status: number } {
  // A mistyped option (node:util parseArgs): the message names it.
  if ((error as NodeJS.ErrnoException | undefined)?.code?.startsWith('ERR_PARSE_ARGS')) {
    return { line: `${(error as Error).message} (--help lists the options)`, status: EXIT_SETUP };
  }
  if (!(error instanceof CostbotError)) {
    return {
      line: error instanceof Error ? (error.stack ?? error.message) : String(error),
      status: 1,
    };
  }
  const prefix = error instanceof ConfigError ? 'Configuration error' : 'costbot';
  return { line: `${prefix}: ${error.message.replace(/\s*\n\s*/g, ' ')}`, status: EXIT_SETUP };
}

/**
 * Runs a command's `main`: exits with the status it returns (a command that runs once ends
 * even if a library left a handle open), keeps running when it returns `undefined` (servers),
 * and explains a failure with `explainFailure`.
 */
export function runCli(main: () => Promise<number | undefined>): void {
  // The AWS SDK prints a nine-line notice on Node < 22 about its future releases (the lock file
  // pins ours; engines allows 20): on stderr it would bury the one line that says what to fix.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().then(
    (status) => {
      if (status !== undefined) process.exit(status);
    },
    (error: unknown) => {
      const { line, status } = explainFailure(error);
      process.stderr.write(`${line}\n`);
      process.exit(status);
    },
  );
}

/**
 * A failure to listen on 127.0.0.1:`port` as the setting that chose the port: in use or not
 * allowed is a `ConfigError` naming `setting`; anything else is returned as it was.
 */
export function listenError(
  setting: 'PORT' | 'COSTBOT_LOCAL_S3_PORT' | 'COSTBOT_LOCAL_LINKS_PORT',
  port: number,
  error: unknown,
): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const free = `set ${setting} to a free port (0 picks one)`;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      setting,
      `127.0.0.1:${port} is already in use (another npm start?): stop what holds it, or ${free}.`,
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ConfigError(
      setting,
      `listening on 127.0.0.1:${port} is not allowed (${code}): ${free} above 1023.`,
      {
        cause: error,
      },
    );
  }
  return error;
}

/** Where the SDK sends SSM calls, as far as the environment says. */
function ssmEndpoint(env: Env): string {
  const aws = awsEnvironment(env);
  const url = aws.ssmEndpointUrl || aws.endpointUrl;
  if (url) return url;
  const region = aws.region || aws.defaultRegion;
  return region
    ? `https://ssm.${region}.amazonaws.com`
    : "your AWS profile's region's SSM endpoint";
}

/**
 * Reads the parameter store at start-up (`COSTBOT_BACKEND=aws`: SSM): when SSM does not answer,
 * a `ServiceUnreachableError` naming SSM and its endpoint, instead of a report failing later.
 */
export async function readAtStartup<T>(env: Env, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof AwsUnavailableError)) throw error;
    const endpoint = ssmEndpoint(env);
    throw new ServiceUnreachableError(
      'SSM',
      endpoint,
      `does not answer (${error.message}): check AWS_ENDPOINT_URL_SSM, AWS_REGION and your network, or use COSTBOT_BACKEND=local.`,
      { cause: error },
    );
  }
}
