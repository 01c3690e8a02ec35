import type { Declaration, InstructionNode, DockerfileModel, RunNode, Stage } from '../model/model.js';
import type { Mount } from '../parse/mount.js';
import type { Fix, TextEdit } from '../types.js';

/**
 * The edits rules may make. Rules describe what to change; these helpers decide the bytes, so
 * every rule gets the same placement, line endings and indentation.
 */

/** Inserts `text` at a source offset. */
export function insertText(at: number, text: string): TextEdit {
  return { start: at, end: at, expected: '', text };
}

/** Text placed before a RUN's command, on the same line. */
export function prefixCommand(run: RunNode, text: string): TextEdit {
  return insertText(run.commandStart, text);
}

/** Text placed at the start of a heredoc's body (after `afterLines` lines of it, e.g. a shebang). */
export function insertIntoHeredoc(model: DockerfileModel, contentStart: number, afterLines: number, line: string): Fix {
  let at = contentStart;
  for (let i = 0; i < afterLines; i++) at = model.lines.lineStart(model.lines.positionAt(at).line + 1);
  return { edits: [insertText(at, line + model.eol)], addedLines: 1 };
}

/**
 * Declares ARGs in `stage` right before `before`, skipping those already declared there: one
 * `ARG` per line, because BuildKit 0.8 (Docker 20.10) accepts a single name per ARG.
 */
export function declareArgs(
  model: DockerfileModel,
  stage: Stage,
  before: InstructionNode,
  names: readonly string[],
): Fix {
  const missing = names.filter((name) => stage.args.get(name, before.seq) === undefined);
  if (missing.length === 0) return { edits: [], addedLines: 0 };
  const line = model.lines.positionAt(before.start).line;
  const indent = model.source.slice(model.lines.lineStart(line), before.start);
  // Above the comment lines right over the instruction: they (and `# dfrewrite: ignore`) stay with it.
  let first = line;
  while (
    first > 0 &&
    /^[ \t]*#/.test(model.source.slice(model.lines.lineStart(first - 1), model.lines.lineEnd(first - 1)))
  )
    first--;
  const at = model.lines.lineStart(first);
  // One edit per name, so a name another fix declares first can be dropped from this one.
  const edits = missing.map((name) => ({
    ...insertText(at, `${indent}ARG ${name}${model.eol}`),
    declares: [`stage ${stage.index}: ARG ${name}`],
  }));
  return { edits, addedLines: missing.length };
}

/** Net lines the edits add: negative when they take lines out. */
export function addedLines(edits: readonly TextEdit[]): number {
  const breaks = (text: string): number => text.split('\n').length - 1;
  return edits.reduce((sum, e) => sum + breaks(e.text) - breaks(e.expected), 0);
}

/** Several fixes as one, applied together or not at all. */
export function combineFixes(...fixes: Fix[]): Fix {
  return {
    edits: fixes.flatMap((fix) => fix.edits),
    addedLines: fixes.reduce((sum, fix) => sum + fix.addedLines, 0),
  };
}

/** Replaces a span of the source with `text`. */
export function replaceSpan(model: DockerfileModel, start: number, end: number, text: string): TextEdit {
  return { start, end, expected: model.source.slice(start, end), text };
}

/** `,key=value` options at the end of a `--mount` value, inside its quotes when the value is quoted; one edit. */
export function appendMountOptions(
  mount: Mount,
  options: readonly (readonly [key: string, value: string])[],
): TextEdit {
  return insertText(mount.flag.appendAt, options.map(([key, value]) => `,${key}=${value}`).join(''));
}

/** Removes the `=default` of an ARG declaration (`ARG NAME=value` becomes `ARG NAME`). */
export function dropArgDefault(model: DockerfileModel, declaration: Declaration): TextEdit | undefined {
  if (declaration.operatorStart === undefined || declaration.valueEnd === undefined) return undefined;
  return replaceSpan(model, declaration.operatorStart, declaration.valueEnd, '');
}

/**
 * Removes an ARG declaration: the whole line when it is the instruction's only name and the
 * instruction fills its line, else the name and the blanks before it; undefined when the
 * instruction spans lines.
 */
export function removeDeclaration(model: DockerfileModel, declaration: Declaration): Fix | undefined {
  const { node } = declaration;
  const { lines } = model;
  const line = lines.positionAt(node.start).line;
  if (lines.positionAt(node.end).line !== line && node.end !== lines.lineStart(line + 1)) return undefined;
  const words = node.declarations;
  if (words.length === 1) {
    const start = lines.lineStart(line);
    const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : model.source.length;
    if (model.source.slice(start, node.start).trim() !== '' || model.source.slice(node.end, end).trim() !== '')
      return undefined;
    return { edits: [replaceSpan(model, start, end, '')], addedLines: -1 };
  }
  const i = words.indexOf(declaration);
  const [start, end] = i > 0 ? [words[i - 1]!.end, declaration.end] : [declaration.start, words[1]!.start];
  return { edits: [replaceSpan(model, start, end, '')], addedLines: 0 };
}

/** Replaces the value of an ARG or ENV declaration, quotes included, with `text`. */
export function replaceDeclarationValue(
  model: DockerfileModel,
  declaration: Declaration,
  text: string,
): TextEdit | undefined {
  if (declaration.valueStart === undefined || declaration.valueEnd === undefined) return undefined;
  return replaceSpan(model, declaration.valueStart, declaration.valueEnd, text);
}
