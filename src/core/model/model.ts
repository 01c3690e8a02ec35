import { envProperties, type NameValue } from '../parse/env.js';
import { parseCommandLine, type CommandLine } from '../parse/flags.js';
import type { HeredocBody } from '../parse/heredoc.js';
import type { LogicalLine } from '../parse/logical-line.js';
import { parseMount, type Mount } from '../parse/mount.js';
import { Scope } from './scope.js';
import { expandVariables } from './variables.js';
import { splitInstructions } from '../parse/skim.js';
import { dominantEol, LineIndex } from '../parse/source.js';

/** One instruction, located in the source, with its first logical line parsed the way BuildKit does. */
export interface InstructionNode {
  /** Sequence number in the file, used to ask a scope what held before this instruction. */
  seq: number;
  /** Upper-cased keyword; for ONBUILD, `ONBUILD` (the trigger is in `command`). */
  keyword: string;
  /** Offsets of the whole instruction, heredoc bodies included. */
  start: number;
  end: number;
  line: LogicalLine;
  /** The instruction's own keyword and flags, or its trigger's when under ONBUILD. */
  command: CommandLine;
  onbuild: boolean;
  stage: Stage | undefined;
  /** Bodies of the heredocs a RUN, COPY or ADD opens. */
  heredocs: HeredocBody[];
  /** The names an ARG or ENV instruction (or such an ONBUILD trigger) declares. */
  declarations: Declaration[];
}

export type RunForm = 'shell' | 'exec' | 'heredoc';

export interface RunNode {
  node: InstructionNode;
  form: RunForm;
  mounts: Mount[];
  /** The command as BuildKit's shell sees it on the logical line, after the flags. */
  commandText: string;
  /** Source offset where the command begins. */
  commandStart: number;
  heredocs: HeredocBody[];
  /** The SHELL in effect (default `/bin/sh -c`). */
  shell: readonly string[];
  /** Exec form: the JSON array's strings, the first being the program. */
  execArgs?: string[];
}

export interface Stage {
  index: number;
  /** Lower-cased `AS` name. */
  name: string | undefined;
  /** The image or stage the stage is built from, as written. */
  base: string;
  /** The `--platform` value as written. */
  platform: string | undefined;
  /** The stage this one is built `FROM`, when it names an earlier stage. */
  parent: Stage | undefined;
  instructions: InstructionNode[];
  runs: RunNode[];
  /** The ARG and ENV declarations made in the stage (ONBUILD triggers included). */
  declarations: Declaration[];
  /** ENV in effect, inherited through `FROM <stage>`. */
  env: Scope;
  /**
   * ARGs in scope, with the values BuildKit gives them (`null`: declared without one): declared in
   * the stage (a bare `ARG` takes the global default), or in the stage it is built `FROM` (BuildKit
   * passes them on; measured on Docker 20.10 and 28.5, docs/arg-scoping.md).
   */
  args: Scope;
  shellAt(seq: number): readonly string[];
  /**
   * The `USER` in effect before instruction `seq`, as written (`app`, `1000:1000`, `${UID}`),
   * inherited through `FROM <stage>`; undefined when the stage chain sets none (the base image's
   * user, unknown here: root in most images).
   */
  userAt(seq: number): string | undefined;
  /** The `USER` instruction `userAt` reads (in this stage or one it is built from): its variables are those before it. */
  userInstructionAt(seq: number): InstructionNode | undefined;
}

/** One `NAME[=value]` of an ARG or ENV instruction (or of an ONBUILD ARG/ENV trigger), located in the source. */
export interface Declaration extends NameValue {
  node: InstructionNode;
  /** `ARG` or `ENV`: the instruction's keyword, or its trigger's under ONBUILD. */
  keyword: 'ARG' | 'ENV';
  /** undefined for ARGs before the first FROM (the global scope). */
  stage: Stage | undefined;
}

export interface DockerfileModel {
  source: string;
  lines: LineIndex;
  escape: string;
  eol: '\n' | '\r\n';
  instructions: InstructionNode[];
  stages: Stage[];
  runs: RunNode[];
  /** Every ARG and ENV name, in source order (ONBUILD triggers included). */
  declarations: Declaration[];
}

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

export function buildModel(source: string, lines = new LineIndex(source)): DockerfileModel {
  const { escape, instructions } = splitInstructions(source, lines);
  const model: DockerfileModel = {
    source,
    lines,
    escape,
    eol: dominantEol(source),
    instructions: [],
    stages: [],
    runs: [],
    declarations: [],
  };
  const stagesByName = new Map<string, Stage>();
  let stage: Stage | undefined;
  let shells: { at: number; shell: readonly string[] }[] = [];
  let users: { at: number; node: InstructionNode }[] = [];
  const globals = new Scope();
  for (const { start, end, line, heredocs } of instructions) {
    const own = parseCommandLine(line, escape);
    const onbuild = own.keyword === 'ONBUILD';
    const node: InstructionNode = {
      seq: model.instructions.length,
      keyword: own.keyword,
      start,
      end,
      line,
      command: onbuild ? parseCommandLine(line, escape, own.argsIndex) : own,
      onbuild,
      stage,
      heredocs,
      declarations: [],
    };
    model.instructions.push(node);
    const declared = recordDeclarations(model, node);
    if (node.keyword === 'FROM') {
      stage = newStage(model, node, stagesByName);
      node.stage = stage;
      shells = stage.parent ? [{ at: -1, shell: stage.parent.shellAt(Number.POSITIVE_INFINITY) }] : [];
      const current = shells;
      stage.shellAt = (seq) => shellBefore(current, seq);
      const parentUser = stage.parent?.userInstructionAt(Number.POSITIVE_INFINITY);
      users = parentUser ? [{ at: -1, node: parentUser }] : [];
      const stageUsers = users;
      stage.userInstructionAt = (seq) => lastBefore(stageUsers, seq)?.node;
      stage.userAt = (seq) => {
        const user = lastBefore(stageUsers, seq)?.node;
        return user && user.line.text.slice(user.command.argsIndex).trim();
      };
      continue;
    }
    if (!stage) {
      if (node.keyword === 'ARG') declareGlobals(globals, declared);
      continue;
    }
    stage.instructions.push(node);
    if (onbuild) {
      if (node.command.keyword === 'RUN') addRun(model, stage, node);
      continue;
    }
    switch (node.keyword) {
      case 'ENV':
        declareInScope(stage.env, declared);
        break;
      case 'ARG':
        declareArgsInStage(stage, globals, declared);
        break;
      case 'USER':
        users.push({ at: node.seq, node });
        break;
      case 'SHELL': {
        const shell = parseJsonArray(line.text.slice(node.command.argsIndex));
        if (shell) shells.push({ at: node.seq, shell });
        break;
      }
      case 'RUN':
        addRun(model, stage, node);
        break;
    }
  }
  return model;
}

function newStage(model: DockerfileModel, node: InstructionNode, stagesByName: Map<string, Stage>): Stage {
  // FROM [--platform=…] image [AS name]
  const words = node.line.text
    .slice(node.command.argsIndex)
    .trim()
    .split(/[ \t]+/);
  const base = words[0] ?? '';
  const parent = stagesByName.get(base.toLowerCase());
  const name = words[1]?.toLowerCase() === 'as' && words[2] ? words[2].toLowerCase() : undefined;
  const platformFlag = node.command.flags.find((f) => f.name.toLowerCase() === 'platform');
  const stage: Stage = {
    index: model.stages.length,
    name,
    base,
    platform: platformFlag?.value ?? undefined,
    parent,
    instructions: [],
    runs: [],
    declarations: [],
    env: new Scope(parent?.env),
    args: new Scope(parent?.args),
    shellAt: () => DEFAULT_SHELL,
    userAt: () => undefined,
    userInstructionAt: () => undefined,
  };
  model.stages.push(stage);
  if (name) stagesByName.set(name, stage);
  return stage;
}

function declareInScope(scope: Scope, declared: readonly Declaration[]): void {
  for (const d of declared) scope.set(d.name, d.value, d.node.seq);
}

/** Global ARGs: a default may read the global ARGs above it (BuildKit substitutes them). */
function declareGlobals(globals: Scope, declared: readonly Declaration[]): void {
  for (const d of declared) globals.set(d.name, substitute(d.value, globals, d.node.seq), d.node.seq);
}

/**
 * ARGs in a stage, as BuildKit 0.8 to 0.25 give them values (measured, docs/arg-scoping.md): a
 * default, with the variables in scope substituted; a bare `ARG NAME` takes the global default of
 * NAME, else keeps the value the stage already has (from the stage it is built `FROM`), else none.
 */
function declareArgsInStage(stage: Stage, globals: Scope, declared: readonly Declaration[]): void {
  for (const d of declared) {
    const at = d.node.seq;
    const global = globals.get(d.name);
    const value =
      d.value !== null
        ? substitute(d.value, stage.env, at, stage.args)
        : typeof global === 'string'
          ? global
          : (stage.args.get(d.name, at) ?? null);
    stage.args.set(d.name, value, at);
  }
}

/** `value` with the variables the scopes hold before instruction `at` substituted (the first scope wins). */
function substitute(value: string | null, first: Scope, at: number, second?: Scope): string | null {
  if (value === null || !value.includes('$')) return value;
  return expandVariables(value, (name) => {
    const found = first.get(name, at) ?? second?.get(name, at);
    return typeof found === 'string' ? found : undefined;
  }).text;
}

/** Adds the instruction's ARG or ENV declarations to the model, and returns them. */
function recordDeclarations(model: DockerfileModel, node: InstructionNode): Declaration[] {
  const keyword = node.command.keyword;
  const declared: Declaration[] = [];
  if (keyword === 'ARG') {
    for (const word of argWords(node.line, node.command.argsIndex, model.escape))
      declared.push({ node, keyword, stage: node.stage, ...word });
  } else if (keyword === 'ENV') {
    declared.push(...envDeclarations(model, node));
  }
  model.declarations.push(...declared);
  node.declarations = declared;
  node.stage?.declarations.push(...declared);
  return declared;
}

function envDeclarations(model: DockerfileModel, node: InstructionNode): Declaration[] {
  return envProperties(model.source, node.start, node.end, model.escape).map((property) => ({
    node,
    keyword: 'ENV' as const,
    stage: node.stage,
    ...property,
  }));
}

/**
 * The `NAME[=value]` words of an ARG, as BuildKit splits them: at blanks outside quotes, each word
 * a name, with a default after its first `=` (quotes removed). `ARG A B` declares two names.
 */
function argWords(line: LogicalLine, from: number, escape: string): NameValue[] {
  const { text } = line;
  const offsets = (i: number): number => line.offset(i)!;
  const words: NameValue[] = [];
  let i = from;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) return words;
    const start = i;
    let eq = -1;
    let value = '';
    let quote: string | undefined;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (quote === undefined && (ch === ' ' || ch === '\t')) break;
      if (ch === escape && quote !== "'" && i + 1 < text.length) {
        i++;
        if (eq !== -1) value += text[i]!;
        continue;
      }
      if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
      else if (ch === quote) quote = undefined;
      else if (eq === -1 && ch === '=' && quote === undefined) eq = i;
      else if (eq !== -1) value += ch;
    }
    const end = offsets(i - 1) + 1;
    const nameEnd = eq === -1 ? i : eq;
    words.push({
      name: text.slice(start, nameEnd),
      value: eq === -1 ? null : value,
      start: offsets(start),
      end,
      valueStart: eq === -1 ? undefined : eq + 1 < i ? offsets(eq + 1) : end,
      valueEnd: eq === -1 ? undefined : end,
      operatorStart: eq === -1 ? undefined : offsets(eq),
    });
  }
}

function shellBefore(shells: { at: number; shell: readonly string[] }[], seq: number): readonly string[] {
  return lastBefore(shells, seq)?.shell ?? DEFAULT_SHELL;
}

/** The last entry (in source order) set before instruction `seq`. */
function lastBefore<T extends { at: number }>(entries: readonly T[], seq: number): T | undefined {
  let last: T | undefined;
  for (const entry of entries) if (entry.at < seq) last = entry;
  return last;
}

function addRun(model: DockerfileModel, stage: Stage, node: InstructionNode): void {
  const { line, command } = node;
  const mounts: Mount[] = [];
  for (const flag of command.flags) {
    if (flag.name.toLowerCase() !== 'mount') continue;
    const mount = parseMount(flag);
    if (mount) mounts.push(mount);
  }
  const commandText = line.text.slice(command.argsIndex);
  const { heredocs } = node;
  const { form, execArgs } = runForm(commandText, heredocs);
  const run: RunNode = {
    node,
    form,
    ...(execArgs ? { execArgs } : {}),
    mounts,
    commandText,
    commandStart: line.offset(command.argsIndex) ?? line.end,
    heredocs,
    shell: stage.shellAt(node.seq),
  };
  stage.runs.push(run);
  model.runs.push(run);
}

const HEREDOC_ONLY = /^<<-?(["']?)[A-Za-z0-9_.-]+\1\s*$/;

function runForm(commandText: string, heredocs: HeredocBody[]): { form: RunForm; execArgs?: string[] } {
  const text = commandText.trim();
  const execArgs = text.startsWith('[') ? parseJsonArray(text) : undefined;
  if (execArgs) return { form: 'exec', execArgs };
  if (heredocs.length > 0 && HEREDOC_ONLY.test(text)) return { form: 'heredoc' };
  return { form: 'shell' };
}

function parseJsonArray(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a `USER` value (as written: `root`, `0`, `00:0`, `app`) is root. The user part only:
 * BuildKit reads it as a number when it is one.
 */
export function isRootUser(written: string): boolean {
  const user = written.split(':')[0]!;
  return user === 'root' || /^0+$/.test(user);
}
