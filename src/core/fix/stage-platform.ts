import type { DockerfileModel, InstructionNode, RunNode, Stage } from '../model/model.js';
import { runScript } from '../model/script.js';
import { insertText, replaceSpan } from './edits.js';
import type { TextEdit } from '../types.js';

/**
 * `FROM --platform=$BUILDPLATFORM` for a stage. The guards other rules put before a RUN's command
 * (or atop its heredoc script) rest on the stage running emulated, so the move also claims those
 * points with empty insertions: a guard's insertion there conflicts with it. The move starts at
 * the FROM line, before any guard, so with suggested fixes on it is kept first and the guard is
 * reconsidered in the next pass, on a stage that now runs natively.
 */
export function moveToBuildPlatform(model: DockerfileModel, stage: Stage): TextEdit[] {
  const { start, end } = fromKeyword(model, stage);
  const move = replaceSpan(model, start, end, `${model.source.slice(start, end)} --platform=$BUILDPLATFORM`);
  return [move, ...stage.runs.flatMap((run) => guardPoints(model, run).map((at) => insertText(at, '')))];
}

/** Where a guard goes: before the command, or atop the heredoc script (after a shebang). */
function guardPoints(model: DockerfileModel, run: RunNode): number[] {
  const script = runScript(model, run);
  if (!script) return [];
  if (script.kind === 'command-line') return [run.commandStart];
  const points = [script.sourceStart];
  if (script.text.startsWith('#!'))
    points.push(model.lines.lineStart(model.lines.positionAt(script.sourceStart).line + 1));
  return points;
}

/** The FROM instruction that opens a stage. */
export function fromNode(model: DockerfileModel, stage: Stage): InstructionNode {
  return model.instructions.find((node) => node.keyword === 'FROM' && node.stage === stage)!;
}

function fromKeyword(model: DockerfileModel, stage: Stage): { start: number; end: number } {
  const { line } = fromNode(model, stage);
  const first = line.text.search(/\S/);
  const last = first + line.text.slice(first).search(/\s|$/) - 1;
  return { start: line.offset(first)!, end: line.offset(last)! + 1 };
}
