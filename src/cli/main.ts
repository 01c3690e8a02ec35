import { dirname } from 'node:path';
import { DockerfileError } from '../core/errors.js';
import { compareByStart } from '../core/parse/source.js';
import { rewrite, UnknownRuleError, selectRules } from '../core/rewrite.js';
import { allRules } from '../rules/index.js';
import type { Finding, RewriteOptions, RewriteResult } from '../core/types.js';
import {
  ConfigError,
  findConfigFromDirectory,
  loadConfigFile,
  toRewriteOptions,
  type LoadedConfig,
} from '../config/load.js';
import { discover, type Note, type Target } from './discover.js';
import { describeFsError, InputError, NotDockerfileError } from './errors.js';
import { errorAnnotation, findingAnnotation, noteAnnotation } from './github.js';
import { HELP, parseOptions, UsageError, type CliOptions } from './options.js';
import { readDockerfile, readStdin } from './read.js';
import { colourDiff, formatFinding, toJsonFinding, useColour, type FileReport } from './report.js';
import type { SarifInput } from './sarif.js';
import { unusedIgnores } from './unused.js';
import { writeAtomically } from './write.js';
import pkg from '../../package.json' with { type: 'json' };

const EXIT_OK = 0;
const EXIT_CHANGES = 1;
const EXIT_ERROR = 2;

/** What became of one file: for the final report (JSON, SARIF) and the exit code. */
interface Outcome {
  display: string;
  /** A Compose service whose `dockerfile_inline` this is. */
  service?: string;
  /** The text the findings' fixes apply to, when they can be placed in `display`. */
  source?: string;
  changed: boolean;
  findings: Finding[];
  unused: number;
  error?: { message: string; line?: number | undefined };
  /** Not checked, and why (not an error). */
  skipped?: { message: string; line?: number | undefined };
  /** Why a change was not written (a `dockerfile_inline` under --in-place). */
  notWritten?: string;
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseOptions(argv);
    if (options.help) return print(HELP);
    if (options.version) return print(`${pkg.version}\n`);
    if (options.listRules)
      return print(allRules.map((r) => `${r.id.padEnd(24)} ${r.fixLevel.padEnd(9)} ${r.summary}\n`).join(''));
    if (options.paths.length === 0) throw new UsageError('no Dockerfile given (try --help)');
    selectRules({ enable: options.enable, disable: options.disable });
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownRuleError) {
      process.stderr.write(`dfrewrite: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
  if (options.paths.includes('-')) {
    if (options.paths.length > 1 || options.mode === 'in-place') {
      process.stderr.write('dfrewrite: - (standard input) must be the only input, and cannot be written in place\n');
      return EXIT_ERROR;
    }
  }
  const stdin = options.paths.includes('-');
  const { targets, errors, notes } = stdin ? { targets: [], errors: [], notes: [] } : await discover(options.paths);
  // A path that cannot be read is named whatever the mode; printing is refused only for several files.
  const several = options.paths.length > 1 || targets.length > 1;
  if (options.mode === 'print' && !options.json && several) {
    for (const error of errors) reportError(options, error.path, error.message, error.line);
    process.stderr.write('dfrewrite: printing needs exactly one file; use --diff, --check or --in-place for several\n');
    return EXIT_ERROR;
  }

  // Every configuration is read and checked before any file is touched: a broken one stops the run.
  let configs: Map<string, LoadedConfig | null>;
  try {
    configs = await resolveConfigs(options, stdin ? [process.cwd()] : targets.map((t) => dirname(t.file)));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`dfrewrite: ${error.message}\n`);
    return EXIT_ERROR;
  }
  const optionsFor = (dir: string): RewriteOptions =>
    toRewriteOptions(configs.get(dir)?.config, {
      enable: options.enable,
      disable: options.disable,
      applySuggested: options.applySuggested,
    });

  const outcomes: Outcome[] = errors.map((e) => ({
    display: e.path,
    changed: false,
    findings: [],
    unused: 0,
    error: { message: e.message, line: e.line },
  }));
  for (const error of errors) reportError(options, error.path, error.message, error.line);
  outcomes.push(...notes.map((note) => skipped(options, note)));
  if (stdin) {
    outcomes.push(await processStdin(options, optionsFor(process.cwd())));
  } else {
    for (const target of targets) outcomes.push(await processFile(options, optionsFor(dirname(target.file)), target));
  }
  const changedCount = outcomes.filter((o) => o.changed).length;
  if (options.format === 'json') {
    const files: FileReport[] = outcomes.map((o) => ({
      path: o.display,
      ...(o.service === undefined ? {} : { service: o.service }),
      changed: o.changed,
      findings: o.findings.map(toJsonFinding),
      ...(o.error ? { error: o.error.message } : {}),
      ...(o.skipped ? { skipped: o.skipped.message } : {}),
      ...(o.notWritten ? { notWritten: o.notWritten } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ files, changed: changedCount }, null, 2)}\n`);
  } else if (options.format === 'sarif') {
    const inputs: SarifInput[] = outcomes.map((o) => ({
      display: o.display,
      findings: o.findings,
      ...(o.source === undefined ? {} : { source: o.source }),
      ...(o.error ? { error: o.error } : {}),
      ...(o.skipped ? { note: o.skipped } : {}),
    }));
    const { toSarif } = await import('./sarif.js');
    process.stdout.write(
      `${JSON.stringify(toSarif(inputs, { version: pkg.version, rules: allRules, cwd: process.cwd() }), null, 2)}\n`,
    );
  }
  if (outcomes.some((o) => o.error)) return EXIT_ERROR;
  if (options.mode === 'check' && changedCount > 0) return EXIT_CHANGES;
  return outcomes.some((o) => o.unused > 0) ? EXIT_CHANGES : EXIT_OK;
}

/** The configuration for each directory holding a Dockerfile (or the one given, or none). */
async function resolveConfigs(options: CliOptions, dirs: string[]): Promise<Map<string, LoadedConfig | null>> {
  const configs = new Map<string, LoadedConfig | null>();
  const given = options.config === undefined ? undefined : await loadConfigFile(options.config);
  for (const dir of dirs) {
    if (configs.has(dir)) continue;
    configs.set(dir, options.noConfig ? null : (given ?? (await findConfigFromDirectory(dir))));
  }
  return configs;
}

async function processFile(options: CliOptions, rewriteOptions: RewriteOptions, target: Target): Promise<Outcome> {
  const { display, inline } = target;
  // An inline Dockerfile is named by its service; its findings are placed in the Compose file.
  const label = inline ? `${display} (service "${inline.service}", dockerfile_inline)` : display;
  let source: string | undefined;
  try {
    source = inline ? inline.text : await readDockerfile(display, target.file);
    const explained = rewriteOrExplain(label, source, rewriteOptions, options);
    const { result, unused } = explained;
    const findings = inline
      ? explained.findings.map((f) => ({ ...f, range: inline.toComposeRange(f.range) }))
      : explained.findings;
    // An inline Dockerfile is never written in place: its fixes are only shown there.
    const notWritten = inline && options.mode === 'in-place' ? 'not rewritten in place: edit it by hand' : undefined;
    reportFindings(options, display, findings, writes(options) && !notWritten);
    if (result.changed) {
      if (notWritten) {
        if (!options.json) process.stderr.write(`dfrewrite: ${label}: ${notWritten}\n`);
      } else if (options.mode === 'in-place') await writeInPlace(target, result.output);
      else if (options.mode === 'diff' && !options.json) await writeDiff(label, source, result.output);
      else if (options.mode === 'check' && !options.json) process.stdout.write(`would rewrite ${label}\n`);
    }
    if (options.mode === 'print' && !options.json) process.stdout.write(result.output);
    return {
      display,
      ...(inline ? { service: inline.service } : { source }),
      changed: result.changed && !notWritten,
      ...(result.changed && notWritten ? { notWritten } : {}),
      findings,
      unused,
    };
  } catch (error) {
    if (target.loose && error instanceof NotDockerfileError) {
      const reason = `skipped: ${error.reason} (only its name looked like a Dockerfile's)`;
      return skipped(options, { display, message: reason });
    }
    const line = inline && error instanceof InputError && error.line ? mapLine(target, error.line) : undefined;
    return failed(options, display, line ? new InputError(label, (error as InputError).reason, line) : error, source);
  }
}

/** A Dockerfile line (one-based) of an inline Dockerfile, as a line of its Compose file. */
const mapLine = (target: Target, line: number): number => {
  const position = { line: line - 1, character: 0 };
  return target.inline!.toComposeRange({ start: position, end: position }).start.line + 1;
};

/** Something not checked, and why: said on stderr (or as a GitHub notice), kept for the report. */
function skipped(options: CliOptions, note: Note): Outcome {
  if (!options.json) {
    const where = note.line ? `${note.display}:${note.line}` : note.display;
    process.stderr.write(`dfrewrite: ${where}: ${note.message}\n`);
    if (options.format === 'github') process.stdout.write(`${noteAnnotation(note.display, note.message, note.line)}\n`);
  }
  return {
    display: note.display,
    changed: false,
    findings: [],
    unused: 0,
    skipped: { message: note.message, line: note.line },
  };
}

async function processStdin(options: CliOptions, rewriteOptions: RewriteOptions): Promise<Outcome> {
  let source: string | undefined;
  try {
    source = await readStdin();
    const { result, findings, unused } = rewriteOrExplain('-', source, rewriteOptions, options);
    reportFindings(options, '-', findings, writes(options));
    if (!options.json) {
      if (options.mode === 'print') process.stdout.write(result.output);
      else if (options.mode === 'diff') await writeDiff('-', source, result.output);
      else if (options.mode === 'check' && result.changed) process.stdout.write('would rewrite -\n');
    }
    return { display: '-', source, changed: result.changed, findings, unused };
  } catch (error) {
    return failed(options, '-', error);
  }
}

/** A file that could not be read or rewritten: reported, left as it is; other errors are bugs. */
function failed(options: CliOptions, display: string, error: unknown, source?: string): Outcome {
  if (!(error instanceof InputError)) throw error;
  reportError(options, display, error.message, error.line);
  return {
    display,
    ...(source === undefined ? {} : { source }),
    changed: false,
    findings: [],
    unused: 0,
    error: { message: error.message, line: error.line },
  };
}

/**
 * Rewrites one file. A file we cannot rewrite is an input error naming its line; it is never
 * written. With --report-unused-directives, the unused ignores join the findings.
 */
function rewriteOrExplain(
  display: string,
  source: string,
  rewriteOptions: RewriteOptions,
  options: CliOptions,
): { result: RewriteResult; findings: Finding[]; unused: number } {
  let result: RewriteResult;
  try {
    result = rewrite(source, rewriteOptions);
  } catch (error) {
    if (error instanceof DockerfileError) throw new NotDockerfileError(display, error.message, error.line);
    // A bug of ours: this file is left as it is and reported; the other files go on.
    throw new InputError(display, `dfrewrite internal error, file left as it is: ${(error as Error).message}`);
  }
  if (!options.reportUnusedDirectives) return { result, findings: result.findings, unused: 0 };
  const unused = unusedIgnores(source, result, rewriteOptions.rules ?? {});
  const findings = [...result.findings, ...unused].sort(compareByStart);
  return { result, findings, unused: unused.length };
}

/** `written`: the fixes reach the user's output, so a fixed finding says `[fixed]`, not `[fixable]`. */
function reportFindings(options: CliOptions, display: string, findings: Finding[], written: boolean): void {
  if (options.format === 'text')
    for (const f of findings) process.stderr.write(`${formatFinding(display, f, written)}\n`);
  if (options.format === 'github')
    for (const f of findings) process.stdout.write(`${findingAnnotation(display, f, written)}\n`);
}

async function writeInPlace(target: Target, output: string): Promise<void> {
  try {
    await writeAtomically(target.file, output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      target.display,
      code === 'EROFILE' ? 'file is read-only: not rewritten' : `not rewritten: ${describeFsError(error)}`,
    );
  }
}

/** The diff library loads only for --diff. */
async function writeDiff(display: string, before: string, after: string): Promise<void> {
  const { unifiedDiff } = await import('../core/fix/diff.js');
  const diff = unifiedDiff(display, before, after);
  process.stdout.write(useColour(process.stdout) ? colourDiff(diff) : diff);
}

function reportError(options: CliOptions, display: string, message: string, line: number | undefined): void {
  if (options.json) return;
  process.stderr.write(`dfrewrite: ${message}\n`);
  if (options.format === 'github') process.stdout.write(`${errorAnnotation(display, message, line)}\n`);
}

/** Whether the fixes reach the user's output (printed or written), or are only previewed. */
const writes = (options: CliOptions): boolean => options.mode === 'print' || options.mode === 'in-place';

function print(text: string): number {
  process.stdout.write(text);
  return EXIT_OK;
}

// (no top-level await: the CLI is bundled as CommonJS, see scripts/build.mjs)
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dfrewrite: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
