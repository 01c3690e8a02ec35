import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { parseCommandLine, type CommandLine } from './flags.js';
import { heredocsOpened, readHeredocBodies, type HeredocBody } from './heredoc.js';
import { readLogicalLine, type LogicalLine } from './logical-line.js';
import { parseMount, type Mount } from './mount.js';
import { parseDockerfile } from './parse.js';
import { Scope } from './scope.js';
import { dominantEol, LineIndex } from './source.js';

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
  ast: Instruction;
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
  from: InstructionNode;
  instructions: InstructionNode[];
  runs: RunNode[];
  /** ENV in effect, inherited through `FROM <stage>`. */
  env: Scope;
  /** ARGs declared in the stage (`null` value: declared without default). */
  args: Scope;
  shellAt(seq: number): readonly string[];
}

export interface DockerfileModel {
  source: string;
  lines: LineIndex;
  escape: string;
  eol: '\n' | '\r\n';
  instructions: InstructionNode[];
  stages: Stage[];
  /** ARGs declared before the first FROM. */
  globalArgs: Scope;
  runs: RunNode[];
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function buildModel(source: string): DockerfileModel {
  const ast = parseDockerfile(source);
  const lines = new LineIndex(source);
  const escape = ast.getEscapeCharacter();
  const model: DockerfileModel = {
    source,
    lines,
    escape,
    eol: dominantEol(source),
    instructions: [],
    stages: [],
    globalArgs: new Scope(),
    runs: [],
  };
  const stagesByName = new Map<string, Stage>();
  let stage: Stage | undefined;
  let shells: { at: number; shell: readonly string[] }[] = [];
  for (const instruction of ast.getInstructions()) {
    const range = instruction.getRange();
    const start = lines.offsetAt(range.start);
    const end = lines.offsetAt(range.end);
    const line = readLogicalLine(source, start, end, escape);
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
      heredocs: [],
      ast: instruction,
    };
    node.heredocs = heredocBodies(model, node);
    model.instructions.push(node);
    if (node.keyword === 'FROM') {
      stage = newStage(model, node, instruction, stagesByName);
      node.stage = stage;
      shells = stage.parent ? [{ at: -1, shell: stage.parent.shellAt(Number.POSITIVE_INFINITY) }] : [];
      const current = shells;
      stage.shellAt = (seq) => shellBefore(current, seq);
      continue;
    }
    if (!stage) {
      if (node.keyword === 'ARG') declare(model.globalArgs, instruction, node.seq);
      continue;
    }
    stage.instructions.push(node);
    if (onbuild) {
      if (node.command.keyword === 'RUN') addRun(model, stage, node);
      continue;
    }
    switch (node.keyword) {
      case 'ENV':
        declare(stage.env, instruction, node.seq);
        break;
      case 'ARG':
        declare(stage.args, instruction, node.seq);
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

function newStage(
  model: DockerfileModel,
  node: InstructionNode,
  instruction: Instruction,
  stagesByName: Map<string, Stage>,
): Stage {
  const from = instruction as import('dockerfile-ast').From;
  const base = from.getImage() ?? '';
  const parent = stagesByName.get(base.toLowerCase());
  const name = from.getBuildStage()?.toLowerCase() ?? undefined;
  const platformFlag = node.command.flags.find((f) => f.name.toLowerCase() === 'platform');
  const stage: Stage = {
    index: model.stages.length,
    name,
    base,
    platform: platformFlag?.value ?? undefined,
    parent,
    from: node,
    instructions: [],
    runs: [],
    env: new Scope(parent?.env),
    args: new Scope(),
    shellAt: () => DEFAULT_SHELL,
  };
  model.stages.push(stage);
  if (name) stagesByName.set(name, stage);
  return stage;
}

function declare(scope: Scope, instruction: Instruction, seq: number): void {
  const properties = (instruction as import('dockerfile-ast').Env).getProperties();
  for (const property of properties) scope.set(property.getName(), property.getValue(), seq);
}

function shellBefore(shells: { at: number; shell: readonly string[] }[], seq: number): readonly string[] {
  let shell: readonly string[] = DEFAULT_SHELL;
  for (const entry of shells) if (entry.at < seq) shell = entry.shell;
  return shell;
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
  const run: RunNode = {
    node,
    form: runForm(commandText, heredocs),
    mounts,
    commandText,
    commandStart: line.offsets[command.argsIndex] ?? line.end,
    heredocs,
    shell: stage.shellAt(node.seq),
  };
  stage.runs.push(run);
  model.runs.push(run);
}

const HEREDOC_ONLY = /^<<-?(["']?)[A-Za-z0-9_.-]+\1\s*$/;

function runForm(commandText: string, heredocs: HeredocBody[]): RunForm {
  const text = commandText.trim();
  if (text.startsWith('[') && parseJsonArray(text)) return 'exec';
  if (heredocs.length > 0 && HEREDOC_ONLY.test(text)) return 'heredoc';
  return 'shell';
}

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

function heredocBodies(model: DockerfileModel, node: InstructionNode): HeredocBody[] {
  const args = node.line.text.slice(node.command.argsIndex);
  if (!HEREDOC_KEYWORDS.has(node.command.keyword) || !args.includes('<<')) return [];
  return readHeredocBodies(model.source, model.lines, node.line.end, node.end, heredocsOpened(args));
}

function parseJsonArray(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}
