/**
 * cfn-lint (AWS CloudFormation Linter, a Python tool; pre-installed where CI runs, elsewhere
 * `pip install cfn-lint`) for tests:
 *
 *   const lint = await findCfnLint();
 *   if (!lint) return t.skip('cfn-lint not installed');
 *   const findings = await lint.run(['Costbot.template.json'], ['eu-west-1']);
 *
 * `CFN_LINT_BIN` overrides the command (default `cfn-lint` on PATH). When it is missing, the
 * tests that need it skip after a LOUD warning, unless CI=true: then it is a failure.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface CfnLintFinding {
  /** Rule id, e.g. `E3006`; the first letter is the level (Error, Warning, Informational). */
  rule: string;
  level: string;
  message: string;
  file: string;
  /** Where in the template, e.g. `['Resources', 'Url', 'Type']`. */
  path: (string | number)[];
}

export interface CfnLint {
  /** e.g. `cfn-lint 1.51.0`. */
  version: string;
  /** Lints the templates for each region (`ALL_REGIONS`: every region cfn-lint knows). */
  run(templates: string[], regions: string[]): Promise<CfnLintFinding[]>;
}

interface JsonFinding {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

/** cfn-lint's exit status is a bit mask of the levels found (2, 4, 8); anything else failed. */
const FINDINGS_ONLY = ~(2 | 4 | 8);

/**
 * The installed cfn-lint, or null (after a loud warning) when there is none; throws when
 * CI=true or when `CFN_LINT_BIN` names something that does not run.
 */
export async function findCfnLint(): Promise<CfnLint | null> {
  const configured = process.env.CFN_LINT_BIN;
  const bin = configured || 'cfn-lint';
  let version: string;
  try {
    version = (await exec(bin, ['--version'])).stdout.trim();
  } catch (error) {
    if (configured) throw new Error(`CFN_LINT_BIN=${configured} does not run.`, { cause: error });
    const missing = 'cfn-lint not found on PATH';
    const install = 'Install it with `pip install cfn-lint` (or set CFN_LINT_BIN).';
    if (process.env.CI === 'true') {
      throw new Error(`${missing}, and CI=true: the templates must be linted. ${install}`, {
        cause: error,
      });
    }
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n!!! WARNING: ${missing}: CloudFormation lint tests are SKIPPED.\n!!! ${install}\n${bar}\n\n`,
    );
    return null;
  }
  return {
    version,
    async run(templates, regions) {
      const args = ['--format', 'json', '--regions', ...regions, '--', ...templates];
      let stdout: string;
      try {
        stdout = (await exec(bin, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
      } catch (error) {
        const failed = error as { code?: unknown; stdout?: string; stderr?: string };
        if (typeof failed.code !== 'number' || (failed.code & FINDINGS_ONLY) !== 0) {
          throw new Error(`${bin} failed (${String(failed.code)}): ${failed.stderr ?? ''}`, {
            cause: error,
          });
        }
        stdout = failed.stdout ?? '';
      }
      return (JSON.parse(stdout) as JsonFinding[]).map((f) => ({
        rule: f.Rule.Id,
        level: f.Level,
        message: f.Message,
        file: f.Filename,
        path: f.Location.Path,
      }));
    },
  };
}
