import { DockerfileError } from '../core/errors.js';
import { unifiedDiff } from '../core/diff.js';
import { rewrite, UnknownRuleError, selectRules } from '../core/rewrite.js';
import { allRules } from '../rules/index.js';
import type { RewriteOptions } from '../core/types.js';
import { describeFsError, discover, InputError, type Target } from './discover.js';
import { HELP, parseOptions, UsageError, type CliOptions } from './options.js';
import { readDockerfile, readStdin } from './read.js';
import { colourDiff, formatFinding, toJsonFinding, useColour, type FileReport } from './report.js';
import { writeAtomically } from './write.js';
import pkg from '../../package.json' with { type: 'json' };

const EXIT_OK = 0;
const EXIT_CHANGES = 1;
const EXIT_ERROR = 2;

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseOptions(argv);
    if (options.help) return print(HELP);
    if (options.version) return print(`${pkg.version}\n`);
    if (options.listRules) return print(allRules.map((r) => `${r.id.padEnd(24)} ${r.fixLevel.padEnd(9)} ${r.summary}\n`).join(''));
    if (options.paths.length === 0) throw new UsageError('no Dockerfile given (try --help)');
    selectRules({ enable: options.enable, disable: options.disable });
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownRuleError) {
      process.stderr.write(`dfrewrite: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
  const rewriteOptions: RewriteOptions = {
    rules: { enable: options.enable, disable: options.disable },
    applySuggested: options.applySuggested,
  };
  if (options.paths.includes('-')) return runStdin(options, rewriteOptions);

  const { targets, errors } = await discover(options.paths);
  const single = options.paths.length === 1 && targets.length === 1 && errors.length === 0;
  if (options.mode === 'print' && !options.json && !single) {
    process.stderr.write('dfrewrite: printing needs exactly one file; use --diff, --check or --in-place for several\n');
    return EXIT_ERROR;
  }
  const reports: FileReport[] = errors.map((e) => ({ path: e.path, changed: false, findings: [], error: e.message }));
  for (const error of errors) reportError(options, error.message);
  let changedCount = 0;
  for (const target of targets) {
    const report = await processFile(options, rewriteOptions, target);
    reports.push(report);
    if (report.changed) changedCount++;
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ files: reports, changed: changedCount }, null, 2)}\n`);
  if (reports.some((r) => r.error)) return EXIT_ERROR;
  return options.mode === 'check' && changedCount > 0 ? EXIT_CHANGES : EXIT_OK;
}

async function processFile(options: CliOptions, rewriteOptions: RewriteOptions, target: Target): Promise<FileReport> {
  const { display } = target;
  try {
    const source = await readDockerfile(display, target.file);
    const result = rewriteOrExplain(display, source, rewriteOptions);
    if (!options.json) for (const f of result.findings) process.stderr.write(`${formatFinding(display, f, writes(options))}\n`);
    if (result.changed) {
      if (options.mode === 'in-place') await writeInPlace(target, result.output);
      else if (options.mode === 'diff' && !options.json) writeDiff(display, source, result.output);
      else if (options.mode === 'check' && !options.json) process.stdout.write(`would rewrite ${display}\n`);
    }
    if (options.mode === 'print' && !options.json) process.stdout.write(result.output);
    return { path: display, changed: result.changed, findings: result.findings.map(toJsonFinding) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportError(options, error.message);
    return { path: display, changed: false, findings: [], error: error.message };
  }
}

async function runStdin(options: CliOptions, rewriteOptions: RewriteOptions): Promise<number> {
  if (options.paths.length > 1 || options.mode === 'in-place') {
    process.stderr.write('dfrewrite: - (standard input) must be the only input, and cannot be written in place\n');
    return EXIT_ERROR;
  }
  try {
    const source = await readStdin();
    const result = rewriteOrExplain('-', source, rewriteOptions);
    if (options.json) {
      const report: FileReport = { path: '-', changed: result.changed, findings: result.findings.map(toJsonFinding) };
      process.stdout.write(`${JSON.stringify({ files: [report], changed: result.changed ? 1 : 0 }, null, 2)}\n`);
    } else {
      for (const f of result.findings) process.stderr.write(`${formatFinding('-', f, writes(options))}\n`);
      if (options.mode === 'print') process.stdout.write(result.output);
      else if (options.mode === 'diff') writeDiff('-', source, result.output);
      else if (options.mode === 'check' && result.changed) process.stdout.write('would rewrite -\n');
    }
    return options.mode === 'check' && result.changed ? EXIT_CHANGES : EXIT_OK;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reportError(options, error.message);
    return EXIT_ERROR;
  }
}

/** A file we cannot rewrite is an input error naming its line; it is never written. */
function rewriteOrExplain(display: string, source: string, options: RewriteOptions): ReturnType<typeof rewrite> {
  try {
    return rewrite(source, options);
  } catch (error) {
    if (error instanceof DockerfileError) throw new InputError(display, error.message);
    throw error;
  }
}

async function writeInPlace(target: Target, output: string): Promise<void> {
  try {
    await writeAtomically(target.file, output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(target.display, code === 'EROFILE' ? 'file is read-only: not rewritten' : `not rewritten: ${describeFsError(error)}`);
  }
}

function writeDiff(display: string, before: string, after: string): void {
  const diff = unifiedDiff(display, before, after);
  process.stdout.write(useColour(process.stdout) ? colourDiff(diff) : diff);
}

function reportError(options: CliOptions, message: string): void {
  if (!options.json) process.stderr.write(`dfrewrite: ${message}\n`);
}

/** Whether the fixes reach the user's output (printed or written), or are only previewed. */
const writes = (options: CliOptions): boolean => options.mode === 'print' || options.mode === 'in-place';

function print(text: string): number {
  process.stdout.write(text);
  return EXIT_OK;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`dfrewrite: internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT_ERROR;
}
