import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { Dockerfile as AstDockerfile } from 'dockerfile-ast/lib/dockerfile.js';
import { Util } from 'dockerfile-ast/lib/util.js';
import { DockerfileError } from './errors.js';
import { isInstruction, skimDockerfile } from './skim.js';

/**
 * dockerfile-ast 0.7.1 hands every comment to its stage by testing it against every stage:
 * O(comments × stages), 5.3 s for a 2.3 MB file. Comments and stages are both in source order
 * and stages do not overlap, so one merge pass gives the same assignment in linear time.
 */
function organizeCommentsLinearly(this: AstDockerfile): void {
  const self = this as unknown as {
    initialInstructions: { getRange(): ReturnType<Dockerfile['getRange']>; addComment(c: unknown): void };
    buildStages: { getRange(): ReturnType<Dockerfile['getRange']>; addComment(c: unknown): void }[];
  };
  const initial = self.initialInstructions.getRange();
  const stages = self.buildStages.map((stage) => ({ stage, range: stage.getRange() }));
  let next = 0;
  for (const comment of this.getComments()) {
    const range = comment.getRange();
    if (initial && Util.isInsideRange(range.end, initial)) {
      self.initialInstructions.addComment(comment);
      continue;
    }
    while (next < stages.length && stages[next]!.range && isBefore(stages[next]!.range!.end, range.start)) next++;
    const candidate = stages[next];
    if (candidate?.range && Util.isInsideRange(range.start, candidate.range)) candidate.stage.addComment(comment);
  }
}

const isBefore = (a: { line: number; character: number }, b: { line: number; character: number }): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

AstDockerfile.prototype.organizeComments = organizeCommentsLinearly;

/** Checks the file as BuildKit would, then parses it with dockerfile-ast. */
export function parseDockerfile(source: string): Dockerfile {
  skimDockerfile(source);
  const ast = DockerfileParser.parse(source);
  // Where dockerfile-ast splits instructions differently from BuildKit (heredocs it does not
  // know, such as `5<<EOF`), body lines would pass for instructions: refuse rather than edit them.
  for (const instruction of ast.getInstructions()) {
    if (!isInstruction(instruction.getKeyword())) {
      const line = instruction.getRange().start.line + 1;
      throw new DockerfileError(`unknown instruction "${instruction.getInstruction()}" (as dockerfile-ast reads the file)`, line);
    }
  }
  return ast;
}
