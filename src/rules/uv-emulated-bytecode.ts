import { combineFixes, declareArgs, insertText, replaceSpan } from '../core/fix/edits.js';
import type { DockerfileModel, RunNode, Stage } from '../core/model/model.js';
import { emulationGuard, guardArgs, guardFix, guardMarker, stagePlatform } from '../core/model/platform.js';
import type { Report, Rule } from '../core/rule.js';
import {
  execWords,
  oneLineSpan,
  runMentions,
  runScript,
  whyNotShellEditable,
  type RunScript,
} from '../core/model/script.js';
import { basename, type ShellWord } from '../core/parse/shell.js';
import type { Fix } from '../core/types.js';

const ENV_NAME = 'UV_COMPILE_BYTECODE';
/** Shell variable the guard fills with `--no-compile-bytecode` when the step runs emulated. */
const FLAG_VAR = 'dfrewrite_uv_flags';
const GUARD_MARKER = guardMarker(FLAG_VAR);
/** Shell variable the guard sets to 0 when emulated; a `UV_COMPILE_BYTECODE=1` in the script reads it. */
const INLINE_VAR = 'dfrewrite_uv_bytecode';
/** A setting in the script is rewritten only when its value is a plain word (`1`, `"true"`). */
const PLAIN_SETTING = new RegExp(`^${ENV_NAME}=(["']?)[A-Za-z0-9]+\\1$`);

/** uv's BoolishValueParser: these turn the setting on (case-insensitive). */
const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);
const COMPILE_FLAGS = new Set(['--compile-bytecode', '--compile']);
const NO_COMPILE_FLAGS = new Set(['--no-compile-bytecode', '--no-compile']);
/** Subcommands that install packages and so compile bytecode (they accept the flags above). */
const COMPILING = new Set([
  'sync',
  'run',
  'add',
  'remove',
  'check',
  'pip install',
  'pip sync',
  'tool install',
  'tool run',
  'tool upgrade',
  'python install',
  'python upgrade',
]);
/**
 * Subcommands that get no flag, only the environment variable: they accept the bytecode flags only
 * since uv 0.9.25 (astral-sh/uv#17088) and compiled nothing before it, and they read no config
 * file's `compile-bytecode`, so `UV_COMPILE_BYTECODE=0` alone turns them off on every version.
 */
const ENV_ONLY = new Set(['python install', 'python upgrade']);
/**
 * uv's global options that take a separate value, so their value is not read as the subcommand
 * (`GlobalArgs`, `CacheArgs` and `TopLevelArgs` in crates/uv-cli/src/lib.rs at 0.12.5).
 */
const GLOBAL_VALUE_OPTIONS = new Set([
  '--directory',
  '--project',
  '--config-file',
  '--cache-dir',
  '--color',
  '--python-preference',
  '--python-fetch',
  '--allow-insecure-host',
  '--trusted-host',
  '--preview-features',
  '--preview-feature',
]);

interface UvCall {
  /** Where `$dfrewrite_uv_flags` goes: after the subcommand. */
  flagAt: number;
  /** The subcommand reads only the environment variable on some versions: no flag is added. */
  envOnly: boolean;
  /** An explicit `--compile-bytecode` on the call. */
  compileFlag: ShellWord | undefined;
  /** Turned off on the call itself (`--no-compile-bytecode`, `UV_COMPILE_BYTECODE=0 uv …`). */
  off: boolean;
}

export const uvEmulatedBytecode: Rule = {
  id: 'uv-emulated-bytecode',
  summary:
    "uv's bytecode compilation can hang under QEMU: turn it off where the stage runs emulated, keep it natively.",
  fixLevel: 'safe',
  // uv must run, and bytecode be asked for somewhere (ENV, ARG or a flag) in the file.
  prefilter: (source) => /\buvx?\b/.test(source) && /UV_COMPILE_BYTECODE|--compile/.test(source),
  evidence: ['https://github.com/astral-sh/uv/issues/11699', 'https://github.com/astral-sh/uv/issues/6105'],
  check({ model, report }) {
    for (const stage of model.stages) {
      const platform = stagePlatform(stage);
      if (platform.kind === 'build') continue;
      const guarded = stage.runs.flatMap((run) => {
        const finding = examine(model, stage, run);
        return finding ? [{ run, ...finding }] : [];
      });
      if (guarded.length === 0) continue;
      // One ARG block per stage, before the first RUN that needs it; every fix carries the same edit.
      const firstFixable = guarded.find((g) => g.fixBody);
      const args = firstFixable ? declareArgs(model, stage, firstFixable.run.node, guardArgs(platform)) : undefined;
      for (const { run, reason, calls, settings, script, fixBody, whyNot } of guarded) {
        const base: Report = { start: run.node.start, end: run.node.line.end, message: '' };
        if (!fixBody || !args || !script) {
          report({
            ...base,
            message: `uv compiles bytecode here (${reason}), which can hang under QEMU; not changed: ${whyNot}`,
          });
          continue;
        }
        const emulated = [`export ${ENV_NAME}=0`, ...(settings.length > 0 ? [`${INLINE_VAR}=0`] : [])];
        const guard = emulationGuard(platform, FLAG_VAR, '--no-compile-bytecode', emulated);
        const fix = combineFixes(
          args,
          guardFix(model, run, script, guard),
          callFixes(model, script, calls),
          settingFixes(model, script, settings),
        );
        report({
          ...base,
          message: `uv compiles bytecode here (${reason}), which can hang under QEMU: turned off where this stage runs emulated, kept natively`,
          fix,
        });
      }
    }
  },
};

interface Examination {
  reason: string;
  calls: UvCall[];
  /** `UV_COMPILE_BYTECODE=1` set in the script itself. */
  settings: ShellWord[];
  script: RunScript | undefined;
  fixBody: boolean;
  whyNot: string;
}

function examine(model: DockerfileModel, stage: Stage, run: RunNode): Examination | undefined {
  if (!runMentions(model, run, 'uv')) return undefined;
  const script = runScript(model, run);
  if (!script) {
    const reason = bytecodeInScope(stage, run);
    const calls = uvCalls(execWords(run), () => ({ start: 0, end: 0 })).filter((c) => !c.off);
    if (!reason || calls.length === 0) return undefined;
    return { reason, calls, settings: [], script, fixBody: false, whyNot: whyNotShellEditable(run, script, 'guard')! };
  }
  if (script.text.includes(GUARD_MARKER)) return undefined;
  const calls = uvCalls(script.words, script.sourceSpan).filter((call) => !call.off);
  if (calls.length === 0) return undefined;
  const scoped = bytecodeInScope(stage, run);
  const settings = truthySettings(script.words);
  const flagged = calls.find((c) => c.compileFlag);
  const reason = settings[0]
    ? `${settings[0].value} in the command`
    : (scoped ?? (flagged ? flagged.compileFlag!.value : undefined));
  if (!reason) return undefined;
  // Replacing a flag written across a line continuation would join two lines: leave it be.
  const splitFlag = calls.find((c) => c.compileFlag && !oneLineSpan(model, script, c.compileFlag));
  const oddSetting = settings.find((setting) => !plainSettingValue(model, script, setting));
  const blocker = oddSetting
    ? `${oddSetting.value} in the command is not a plain value; set it with ENV instead`
    : splitFlag
      ? `${splitFlag.compileFlag!.value} is split across lines; write it on one line`
      : run.node.onbuild
        ? 'ONBUILD runs in a stage not known here'
        : whyNotShellEditable(run, script);
  return { reason, calls, settings, script, fixBody: !blocker, whyNot: blocker ?? '' };
}

/** Why bytecode compilation is on for the whole RUN (ENV or ARG in scope), or undefined. */
function bytecodeInScope(stage: Stage, run: RunNode): string | undefined {
  const env = stage.env.get(ENV_NAME, run.node.seq);
  if (typeof env === 'string' && TRUTHY.has(env.toLowerCase())) return `ENV ${ENV_NAME}=${env}`;
  if (env !== undefined) return undefined;
  const arg = stage.args.get(ENV_NAME, run.node.seq);
  if (arg === null) return `ARG ${ENV_NAME} (set by --build-arg)`;
  if (typeof arg === 'string' && TRUTHY.has(arg.toLowerCase())) return `ARG ${ENV_NAME}=${arg}`;
  return undefined;
}

/**
 * `UV_COMPILE_BYTECODE=…` the script sets after the guard's `export`, truthy or known only when
 * the step runs (`=$ON`): before a command, on its own, or as an argument of `export`. Each would
 * undo the guard, and beside its flag stop uv.
 */
function truthySettings(words: ShellWord[]): ShellWord[] {
  let command = '';
  return words.filter((word) => {
    if (word.isCommand) command = basename(word.value);
    const sets = word.isAssignment || (command === 'export' && !word.isCommand);
    return sets && word.value.startsWith(`${ENV_NAME}=`) && !settingIsOff(word);
  });
}

/** The setting turns compiling off: a literal value uv's parser reads as false. */
function settingIsOff(word: ShellWord): boolean {
  const value = word.value.slice(word.value.indexOf('=') + 1).toLowerCase();
  return !/[$`]/.test(value) && !TRUTHY.has(value);
}

function uvCalls(words: ShellWord[], sourceSpan: RunScript['sourceSpan']): UvCall[] {
  const calls: UvCall[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.isCommand) continue;
    let at = i;
    const name = basename(word.value);
    if (/^python[0-9.]*$/.test(name) && words[i + 1]?.value === '-m' && words[i + 2]?.value === 'uv') at = i + 2;
    else if (name !== 'uv' && name !== 'uvx') continue;
    const args = callArgs(words, at + 1);
    const last = name === 'uvx' ? word : subcommandEnd(args);
    if (!last) continue;
    const setting = precedingSetting(words, i);
    calls.push({
      flagAt: sourceSpan(last).end,
      envOnly: ENV_ONLY.has(subcommand(args, last)),
      compileFlag: args.find((w) => COMPILE_FLAGS.has(w.value)),
      off: args.some((w) => NO_COMPILE_FLAGS.has(w.value)) || (setting !== undefined && settingIsOff(setting)),
    });
  }
  return calls;
}

/** The words of one call: up to the next command. */
function callArgs(words: ShellWord[], from: number): ShellWord[] {
  const args: ShellWord[] = [];
  for (let i = from; i < words.length && !words[i]!.isCommand && !words[i]!.isAssignment; i++) args.push(words[i]!);
  return args;
}

/** The last word of a compiling subcommand (`sync`, `pip install`, …), or undefined. */
function subcommandEnd(args: ShellWord[]): ShellWord | undefined {
  let i = 0;
  while (i < args.length && args[i]!.value.startsWith('-')) {
    i += GLOBAL_VALUE_OPTIONS.has(args[i]!.value) ? 2 : 1;
  }
  const first = args[i];
  if (!first) return undefined;
  if (COMPILING.has(first.value)) return first;
  const second = args[i + 1];
  return second && COMPILING.has(`${first.value} ${second.value}`) ? second : undefined;
}

/** The subcommand a call ends at (`python install`), read back from its last word. */
function subcommand(args: ShellWord[], last: ShellWord): string {
  const at = args.indexOf(last);
  return at > 0 ? `${args[at - 1]!.value} ${last.value}` : last.value;
}

function precedingSetting(words: ShellWord[], commandIndex: number): ShellWord | undefined {
  for (let i = commandIndex - 1; i >= 0 && words[i]!.isAssignment; i--) {
    if (words[i]!.value.startsWith(`${ENV_NAME}=`)) return words[i];
  }
  return undefined;
}

/** The source span of a setting's value when it can be rewritten in place, or undefined. */
function plainSettingValue(model: DockerfileModel, script: RunScript, setting: ShellWord) {
  const span = oneLineSpan(model, script, setting);
  if (!span || !PLAIN_SETTING.test(model.source.slice(span.start, span.end))) return undefined;
  return { start: span.start + ENV_NAME.length + 1, end: span.end };
}

/**
 * Each call gets `$dfrewrite_uv_flags` after its subcommand (empty natively), except the
 * subcommands older uv rejects it on. An explicit `--compile-bytecode` would come later on the
 * line and win, so it becomes the variable itself, defaulting natively to the flag as written
 * (`--compile` is all uv before 0.1.34 knows).
 */
function callFixes(model: DockerfileModel, script: RunScript, calls: UvCall[]): Fix {
  const edits = calls.flatMap((call) => {
    if (call.compileFlag) return [wrapSpan(model, script.sourceSpan(call.compileFlag), FLAG_VAR)];
    return call.envOnly ? [] : [insertText(call.flagAt, ` $${FLAG_VAR}`)];
  });
  return { edits, addedLines: 0 };
}

/**
 * A `UV_COMPILE_BYTECODE=1` in the script would override the guard's `export` and, beside the
 * flag, stop uv ("cannot be used together"): its value becomes `${dfrewrite_uv_bytecode:-1}`,
 * 0 where emulated.
 */
function settingFixes(model: DockerfileModel, script: RunScript, settings: ShellWord[]): Fix {
  const edits = settings.map((setting) => wrapSpan(model, plainSettingValue(model, script, setting)!, INLINE_VAR));
  return { edits, addedLines: 0 };
}

/** `text` becomes `${variable:-text}`: the variable's value when set, else the text as written. */
function wrapSpan(model: DockerfileModel, span: { start: number; end: number }, variable: string) {
  return replaceSpan(model, span.start, span.end, `\${${variable}:-${model.source.slice(span.start, span.end)}}`);
}
