import { combineFixes } from '../core/fix/edits.js';
import { commandName, scriptCommands, type ScriptCommands, type ShellCommand } from '../core/model/command-list.js';
import { removeCommands, removeWord } from '../core/fix/remove-command.js';
import { isRootUser, type DockerfileModel, type RunNode, type Stage } from '../core/model/model.js';
import { cleanPath, mentionsCacheMount } from '../core/parse/mount.js';
import type { Rule } from '../core/rule.js';
import { execWords, runMentions, runScript, scriptShell, whyNotShellEditable } from '../core/model/script.js';
import { basename, type ShellWord } from '../core/parse/shell.js';
import type { Fix } from '../core/types.js';

/** `rm` options that change nothing about what is removed. */
const RM_OPTIONS = /^(?:-[rRfvd]+|--recursive|--force|--verbose|--dir)$/;
/** apt options that point apt at other directories or configuration: not clearly the mounted cache any more. */
const APT_CONFIG_OPTIONS = /^(?:-o|-c|--option|--config-file)(?:=|$)|^-o./;
const APT_VALUE_OPTIONS = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release']);
const FALSY = new Set(['', '0', 'false', 'no', 'off', 'n', 'f']);
/** uv options that take a separate value (only these: an unknown option is taken as a switch). */
const UV_VALUE_OPTIONS = new Set([
  '--cache-dir',
  '--directory',
  '--project',
  '--config-file',
  '--color',
  '--python',
  '-p',
  '--with',
  '--from',
  '--with-requirements',
  '--with-editable',
  '--index',
  '--index-url',
  '--extra-index-url',
  '--default-index',
  '--find-links',
  '-f',
  '--env-file',
  '--package',
  '--extra',
  '--group',
  '-w',
]);

/** A package manager whose "no cache" switch makes a mounted cache useless. */
interface Tool {
  label: string;
  /** Its cache directory when nothing says otherwise, under `~/.cache`. */
  cacheName: string;
  cacheDirEnv: string;
  noCacheEnv: string;
  noCacheFlags: ReadonlySet<string>;
}

const PIP: Tool = {
  label: 'pip',
  cacheName: 'pip',
  cacheDirEnv: 'PIP_CACHE_DIR',
  noCacheEnv: 'PIP_NO_CACHE_DIR',
  noCacheFlags: new Set(['--no-cache-dir']),
};
const UV: Tool = {
  label: 'uv',
  cacheName: 'uv',
  cacheDirEnv: 'UV_CACHE_DIR',
  noCacheEnv: 'UV_NO_CACHE',
  noCacheFlags: new Set(['--no-cache', '-n']),
};

interface Finding {
  start: number;
  end: number;
  what: string;
  /** The command to remove, or the word (with the word before it) to remove; neither: report only. */
  command?: ShellCommand;
  word?: { previous: ShellWord; word: ShellWord };
  whyNot?: string;
}

/** Every cleanup this rule knows has one of these in the file (`-n` is uv's `--no-cache`)... */
const CLEANUP_WORDS = /\brm\b|clean|no-cache|no_cache|\s-n\b/i;
/** ...and in the RUN itself, or the RUN runs pip or uv (with PIP_NO_CACHE_DIR or UV_NO_CACHE set by ENV). */
const CLEANUP_OR_TOOL = /\brm\b|clean|no-cache|no_cache|\s-n\b|pip|\buvx?\b/i;

export const cacheMountCleanup: Rule = {
  id: 'cache-mount-cleanup',
  summary: 'Cleaning a directory that is a cache mount of the same RUN throws the cache away: the cleanup is removed.',
  fixLevel: 'safe',
  prefilter: (source) => mentionsCacheMount(source) && CLEANUP_WORDS.test(source),
  evidence: [
    'https://github.com/openrewrite/rewrite/pull/8621',
    'https://github.com/hadolint/hadolint/issues/1139',
    'https://github.com/rust-lang/cargo/issues/12871',
    'https://docs.docker.com/reference/dockerfile/#run---mounttypecache',
  ],
  check({ model, report }) {
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        const caches = run.mounts
          .filter(
            (m) => m.type === 'cache' && m.target !== undefined && m.target.startsWith('/') && !m.target.includes('$'),
          )
          .map((m) => cleanPath(m.target!));
        if (caches.length === 0 || !runMentions(model, run, CLEANUP_OR_TOOL)) continue;
        const script = runScript(model, run);
        const parsed = script ? scriptCommands(script) : undefined;
        const findings = examine(stage, run, parsed, caches);
        const blocker = whyNotShellEditable(run, script);
        if (blocker) for (const f of findings) f.whyNot ??= blocker;
        const fix = parsed ? fixFor(model, parsed, scriptShell(run, parsed.script), findings) : undefined;
        for (const finding of findings) {
          const why = finding.whyNot ?? fix?.whyNot.get(finding);
          if (why || !fix?.fix) {
            report({
              start: finding.start,
              end: finding.end,
              message: `${finding.what}; not changed: ${why ?? 'no clean edit'}`,
            });
          } else {
            report({
              start: finding.start,
              end: finding.end,
              message: `${finding.what}: removed${finding.word ? ' the option' : ''}`,
              fix: fix.fix,
            });
          }
        }
      }
    }
  },
};

function examine(stage: Stage, run: RunNode, parsed: ScriptCommands | undefined, caches: string[]): Finding[] {
  const script = parsed?.script;
  const at = (w: { start: number; end: number }): { start: number; end: number } =>
    script ? script.sourceSpan(w) : { start: run.node.start, end: run.node.line.end };
  const commands = parsed ? parsed.commands : [execCommand(run)];
  const findings: Finding[] = [];
  const envReported = new Set<Tool>();
  const covering = (path: string | undefined): string | undefined =>
    path === undefined ? undefined : caches.find((c) => path === c || path.startsWith(`${c}/`));
  for (const command of commands) {
    const index = commandName(command);
    if (index < 0) continue;
    const name = basename(command.words[index]!.value);
    const args = command.words.slice(index + 1);
    const span = at(command);
    let finding: Omit<Finding, 'start' | 'end'> | undefined;
    if (name === 'rm') finding = rmFinding(args, caches);
    else if (name === 'apt-get' || name === 'apt') finding = aptCleanFinding(args, covering);
    if (finding) {
      findings.push({ ...span, ...finding, command, what: `\`${shellText(command)}\` ${finding.what}` });
      continue;
    }
    const tool = toolOf(name, args);
    if (!tool) continue;
    const cache = covering(cacheDir(stage, run, command, index, tool));
    if (!cache) continue;
    const toolArgs = ownArgs(tool, name, args);
    const inline = command.words
      .slice(0, index)
      .find((w) => w.isAssignment && w.value.startsWith(`${tool.noCacheEnv}=`));
    const inlineOn =
      inline !== undefined && !FALSY.has(inline.value.slice(inline.value.indexOf('=') + 1).toLowerCase());
    if (inlineOn) {
      findings.push({
        ...at(inline),
        what: `${inline.value} keeps ${tool.label} from using its cache, the cache mount ${cache}`,
        whyNot: `set on the command; remove it to use the cache`,
      });
    }
    const env = stage.env.get(tool.noCacheEnv, run.node.seq);
    const envOn = !inline && typeof env === 'string' && !FALSY.has(env.toLowerCase());
    for (const word of toolArgs) {
      if (!tool.noCacheFlags.has(word.value)) continue;
      const previous = command.words[command.words.indexOf(word) - 1]!;
      const what = `${word.value} keeps ${tool.label} from using its cache, the cache mount ${cache}`;
      // without the option the variable would still keep the cache off: removing it alone changes nothing
      const whyNot = inlineOn || envOn ? `${tool.noCacheEnv} turns the cache off here too` : undefined;
      findings.push({ ...at(word), what, word: { previous, word }, ...(whyNot ? { whyNot } : {}) });
    }
    if (envOn && !envReported.has(tool)) {
      envReported.add(tool);
      findings.push({
        ...at(command),
        what: `ENV ${tool.noCacheEnv}=${env} keeps ${tool.label} from using its cache, the cache mount ${cache}`,
        whyNot: 'ENV applies to other RUNs too; unset it for this command or remove it',
      });
    }
  }
  return findings;
}

/** Whether `rm` empties a cache: every path inside a cache (or a cache's mount point), or why it stays. */
function rmFinding(args: ShellWord[], caches: string[]): Omit<Finding, 'start' | 'end'> | undefined {
  let options = true;
  const odd: string[] = [];
  const touched: string[] = [];
  let mountPoint: string | undefined;
  const outside: string[] = [];
  const parents: string[] = [];
  for (const arg of args) {
    if (options && arg.value === '--') {
      options = false;
      continue;
    }
    if (options && arg.value.startsWith('-')) {
      if (!RM_OPTIONS.test(arg.value)) odd.push(arg.value);
      continue;
    }
    const path = literalPath(arg.value);
    if (path === undefined) {
      outside.push(arg.value);
      continue;
    }
    const inside = caches.find((c) => path.startsWith(`${c}/`));
    const exact = caches.find((c) => path === c);
    const parent = caches.find((c) => c.startsWith(`${path}/`) || path === '/');
    if (inside) touched.push(inside);
    else if (exact) {
      touched.push(exact);
      mountPoint = exact;
    } else if (parent) parents.push(`${arg.value} (holds the cache mount ${parent})`);
    else outside.push(arg.value);
  }
  if (touched.length === 0 && parents.length === 0) return undefined;
  const cache = touched[0] ?? parents[0]!;
  const what = mountPoint
    ? `removes the cache mount ${mountPoint} itself: it empties the cache, then fails (Device or resource busy)`
    : touched.length > 0
      ? `empties the cache mount ${cache}, so the next build starts with an empty cache`
      : `removes ${parents[0]!}: it empties the cache, then fails (Device or resource busy)`;
  const whyNot =
    parents.length > 0 && touched.length > 0
      ? `it also removes ${parents.join(', ')}`
      : parents.length > 0
        ? 'it removes more than the cache'
        : outside.length > 0
          ? `it also removes ${outside.join(' ')}, outside the cache`
          : odd.length > 0
            ? `rm is given ${odd.join(' ')}`
            : undefined;
  return { what, whyNot };
}

function aptCleanFinding(
  args: ShellWord[],
  covering: (path: string) => string | undefined,
): Omit<Finding, 'start' | 'end'> | undefined {
  const subcommand = args.find((a, i) => !a.value.startsWith('-') && !APT_VALUE_OPTIONS.has(args[i - 1]?.value ?? ''));
  const cache = covering('/var/cache/apt/archives');
  if (subcommand?.value !== 'clean' || !cache) return undefined;
  const what = `empties the cache mount ${cache} (apt's downloaded packages), so the next build downloads them again`;
  const others = args.filter((a) => !a.value.startsWith('-') && a !== subcommand);
  const config = args.find((a) => APT_CONFIG_OPTIONS.test(a.value));
  const whyNot = config
    ? `${config.value} may point apt elsewhere`
    : others.length > 0
      ? `apt is also given ${others.map((a) => a.value).join(' ')}`
      : undefined;
  return { what, whyNot };
}

/** An absolute path without expansions (a glob stays, it is inside whatever its directory is in). */
function literalPath(value: string): string | undefined {
  if (!value.startsWith('/') || /[$`~]/.test(value)) return undefined;
  return cleanPath(value);
}

function toolOf(name: string, args: ShellWord[]): Tool | undefined {
  if (/^pip[0-9.]*$/.test(name)) return PIP;
  if (name === 'uv' || name === 'uvx') return UV;
  if (/^python[0-9.]*$/.test(name) && args[0]?.value === '-m') {
    if (args[1]?.value === 'pip') return PIP;
    if (args[1]?.value === 'uv') return UV;
  }
  return undefined;
}

/** The arguments that are the tool's own: not those of the program `uv run` / `uvx` runs. */
function ownArgs(tool: Tool, name: string, args: ShellWord[]): ShellWord[] {
  const start = args[0]?.value === '-m' ? 2 : 0;
  const own: ShellWord[] = [];
  if (tool === PIP) return args.slice(start);
  let positionals = 0;
  const runsProgram = name === 'uvx';
  let program = runsProgram;
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.value === '--') break;
    if (arg.value.startsWith('-')) {
      own.push(arg);
      if (UV_VALUE_OPTIONS.has(arg.value)) i++;
      continue;
    }
    if (program) break;
    positionals++;
    // `uv run CMD`, `uv tool run CMD`: what follows CMD is CMD's
    if (arg.value === 'run' && (positionals === 1 || (positionals === 2 && args[i - 1]?.value === 'tool')))
      program = true;
  }
  return own;
}

/** The tool's cache directory for this command, when it can be known. */
function cacheDir(stage: Stage, run: RunNode, command: ShellCommand, index: number, tool: Tool): string | undefined {
  const literal = (value: string | null | undefined): string | undefined =>
    typeof value === 'string' && value.startsWith('/') && !value.includes('$') ? cleanPath(value) : undefined;
  const args = command.words.slice(index + 1);
  const flag = args.findIndex((a) => a.value === '--cache-dir' || a.value.startsWith('--cache-dir='));
  if (flag >= 0) {
    const word = args[flag]!.value;
    return literal(word.includes('=') ? word.slice(word.indexOf('=') + 1) : args[flag + 1]?.value);
  }
  const inline = command.words
    .slice(0, index)
    .find((w) => w.isAssignment && w.value.startsWith(`${tool.cacheDirEnv}=`));
  if (inline) return literal(inline.value.slice(inline.value.indexOf('=') + 1));
  const seq = run.node.seq;
  const setting = stage.env.get(tool.cacheDirEnv, seq) ?? stage.args.get(tool.cacheDirEnv, seq);
  if (setting !== undefined) return literal(setting);
  const xdg = stage.env.get('XDG_CACHE_HOME', seq);
  if (xdg !== undefined) return literal(xdg === null ? undefined : `${xdg}/${tool.cacheName}`);
  const home = stage.env.get('HOME', seq);
  if (home !== undefined) return literal(home === null ? undefined : `${home}/.cache/${tool.cacheName}`);
  return runsAsRoot(stage, seq) ? `/root/.cache/${tool.cacheName}` : undefined;
}

/** No `USER` in the stage (or the stages it is built from) before `seq`, or a root one. */
function runsAsRoot(stage: Stage, seq: number): boolean {
  const user = stage.userAt(seq);
  return user === undefined || isRootUser(user);
}

function execCommand(run: RunNode): ShellCommand {
  const words = execWords(run);
  return {
    words: words.length > 0 ? words : [{ value: '', start: 0, end: 0, isCommand: false, isAssignment: false }],
    start: 0,
    end: 0,
    nested: false,
    first: 0,
    last: 0,
  };
}

const shellText = (command: ShellCommand): string => command.words.map((w) => w.value).join(' ');

/**
 * One fix for the whole RUN: every cleanup command that can go and every no-cache option, so
 * removals next to each other never conflict. Commands that must stay get their reason.
 */
function fixFor(
  model: DockerfileModel,
  parsed: ScriptCommands,
  shell: readonly string[],
  findings: Finding[],
): { fix: Fix | undefined; whyNot: Map<Finding, string> } {
  const whyNot = new Map<Finding, string>();
  const removable = findings.filter((f) => f.command && !f.whyNot);
  const removal = removeCommands(
    model,
    parsed,
    removable.map((f) => f.command!),
    shell,
  );
  for (const { command, reason } of removal.kept) {
    for (const f of removable) if (f.command === command) whyNot.set(f, reason);
  }
  const words = findings
    .filter((f) => f.word && !f.whyNot)
    .map((f) => removeWord(model, parsed.script, f.word!.previous, f.word!.word));
  const fixes = [...(removal.fix ? [removal.fix] : []), ...words];
  return { fix: fixes.length > 0 ? combineFixes(...fixes) : undefined, whyNot };
}
