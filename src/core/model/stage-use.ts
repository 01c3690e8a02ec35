import type { DockerfileModel, InstructionNode, Stage } from './model.js';
import { shellWords } from '../parse/shell.js';

/** One place a later stage takes files out of a stage: `COPY --from=…` (paths known) or `RUN --mount=from=…`. */
export interface StageUse {
  /** The stage that takes the files. */
  by: Stage;
  node: InstructionNode;
  /** The source paths of a COPY, as written; undefined for a mount (the whole stage is visible). */
  sources: string[] | undefined;
}

/** The stage a `--from` value names: its `AS` name (any case) or its index; undefined for an image. */
export function stageNamed(model: DockerfileModel, reference: string): Stage | undefined {
  const name = reference.toLowerCase();
  if (/^\d+$/.test(name)) return model.stages[Number(name)];
  return model.stages.find((stage) => stage.name === name);
}

/** Where the files of `stage` are taken by later stages (ONBUILD triggers excepted: they run elsewhere). */
export function stageUses(model: DockerfileModel, stage: Stage): StageUse[] {
  const uses: StageUse[] = [];
  for (const other of model.stages.slice(stage.index + 1)) {
    for (const node of other.instructions) {
      if (node.onbuild) continue;
      const keyword = node.command.keyword;
      if (keyword === 'COPY' || keyword === 'ADD') {
        const from = node.command.flags.find((f) => f.name.toLowerCase() === 'from');
        if (from?.value && stageNamed(model, from.value) === stage)
          uses.push({ by: other, node, sources: copySources(node) });
      } else if (keyword === 'RUN') {
        const mounted = other.runs
          .find((run) => run.node === node)
          ?.mounts.some((m) => {
            const from = m.get('from')?.value;
            return typeof from === 'string' && stageNamed(model, from) === stage;
          });
        if (mounted) uses.push({ by: other, node, sources: undefined });
      }
    }
  }
  return uses;
}

/** The blocker for a use that takes the whole stage (a mount, or a COPY whose sources are not plain words). */
export const wholeStageTaken = (use: StageUse): string =>
  `${use.node.command.keyword} ${use.node.command.keyword === 'RUN' ? 'mounts' : 'copies'} the whole stage`;

/** The stages built `FROM` this one. */
export const childStages = (model: DockerfileModel, stage: Stage): Stage[] =>
  model.stages.filter((other) => other.parent === stage);

/** The image at the root of a stage's FROM chain, as written. */
export function rootImage(stage: Stage): string {
  let current = stage;
  while (current.parent) current = current.parent;
  return current.base;
}

/** A COPY's source paths (all its arguments but the last), or undefined for JSON or heredoc forms. */
function copySources(node: InstructionNode): string[] | undefined {
  const args = node.line.text.slice(node.command.argsIndex).trim();
  if (args.startsWith('[') || args.includes('<<')) return undefined;
  const words = shellWords(args).map((w) => w.value);
  return words.length >= 2 ? words.slice(0, -1) : undefined;
}
