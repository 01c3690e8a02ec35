import { combineFixes, declareArgs, insertText } from '../core/fix/edits.js';
import { fromNode, moveToBuildPlatform } from '../core/fix/stage-platform.js';
import { goStage, type GoBuild } from '../core/model/go-build.js';
import type { DockerfileModel, Stage } from '../core/model/model.js';
import { probesArchitecture } from '../core/model/arch-probe.js';
import { stagePlatform } from '../core/model/platform.js';
import { runScript } from '../core/model/script.js';
import { assetStage } from '../core/model/static-assets.js';
import { childStages, stageUses } from '../core/model/stage-use.js';
import type { Rule } from '../core/rule.js';
import type { Fix } from '../core/types.js';

/** Go's target for each command: GOARM is the variant without its `v`, computed by the shell (BuildKit 0.8 cannot). */
const GO_TARGET = 'GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=$([ "$TARGETARCH" != arm ] || echo "${TARGETVARIANT#v}") ';
const TARGET_ARGS = ['TARGETOS', 'TARGETARCH', 'TARGETVARIANT'];
const TARGET_READ = /\$\{?TARGET(?:ARCH|PLATFORM|VARIANT)\b/;

/** What a stage would be moved as, and what stands in the way. */
interface Examination {
  kind: 'go' | 'assets';
  /** What it runs, for the message. */
  what: string;
  blockers: string[];
  goBuilds: GoBuild[];
}

export const buildOnBuildPlatform: Rule = {
  id: 'build-on-build-platform',
  summary:
    'A stage whose output is the same on every platform (Go with cgo off, static assets) runs on the build platform instead of under QEMU.',
  fixLevel: 'suggested',
  prefilter: (source) => /\bgo\b|\b(?:npm|yarn|pnpm|bun|vite|webpack|esbuild|tsc|ng|parcel|rollup)\b/.test(source),
  evidence: [
    'https://docs.docker.com/build/building/multi-platform/#cross-compilation',
    'https://github.com/seebom-labs/BOMHort/issues/183',
    'https://github.com/zereight/gitlab-mcp/issues/729',
    'https://github.com/RackulaLives/Rackula/issues/2707',
  ],
  check({ model, report }) {
    for (const stage of model.stages) {
      const examination = examineStage(model, stage);
      if (!examination) continue;
      const from = fromNode(model, stage);
      const base = { start: from.start, end: from.line.end };
      const what = `${examination.what} in a stage that runs emulated for other platforms`;
      if (examination.blockers.length === 1) {
        report({ ...base, message: `${what}; not moved to the build platform: ${examination.blockers[0]!}` });
      } else if (examination.blockers.length === 0) {
        const how =
          examination.kind === 'go'
            ? 'cross-compiling with GOOS=$TARGETOS GOARCH=$TARGETARCH'
            : 'its output is the same on every platform';
        report({
          ...base,
          message: `${what}: moved to the build platform (FROM --platform=$BUILDPLATFORM), ${how}`,
          fix: moveFix(model, stage, examination),
        });
      }
    }
  },
};

/**
 * A stage that could run on the build platform (its blockers empty), or one that could but for
 * its blockers; undefined when it is nothing of the kind, runs there already, or nothing uses it.
 */
function examineStage(model: DockerfileModel, stage: Stage): Examination | undefined {
  // placed by hand (build, target or a fixed platform), or built from a stage that runs on the build platform
  if (stage.platform !== undefined || stagePlatform(stage).kind !== 'target') return undefined;
  const go = goStage(model, stage);
  const assets = go ? undefined : assetStage(model, stage);
  if (!go && !assets) return undefined;
  const uses = stageUses(model, stage);
  const last = stage.index === model.stages.length - 1;
  if (uses.length === 0 && !last) return undefined; // not built at all, unless asked for with --target
  const blockers = [...(go?.blockers ?? assets!.blockers)];
  if (last) blockers.push('it is the last stage (the image itself)');
  const children = childStages(model, stage);
  if (children.length > 0) blockers.push(`stage ${children[0]!.name ?? children[0]!.index} is built FROM it`);
  if (stage.parent) blockers.push(`it is built FROM stage ${stage.parent.name ?? stage.parent.index}`);
  const runs = stage.runs.filter((run) => !run.node.onbuild);
  if (runs.some((run) => probesArchitecture(runScript(model, run)?.text ?? '')))
    blockers.push('it asks which architecture it runs on');
  if (TARGET_READ.test(fromNode(model, stage).line.text))
    blockers.push("its base image is chosen by $TARGETARCH (the build platform would run the target's image)");
  if (stage.instructions.some((node) => !node.onbuild && TARGET_READ.test(model.source.slice(node.start, node.end))))
    blockers.push('it reads $TARGETARCH (what it fetches for the target would run on the build platform)');
  return go
    ? { kind: 'go', what: 'go build', blockers, goBuilds: go.builds }
    : { kind: 'assets', what: `${assets!.command} (static assets)`, blockers, goBuilds: [] };
}

/** `FROM --platform=$BUILDPLATFORM`; for Go, the target ARGs and `GOOS=… GOARCH=…` before each `go build`. */
function moveFix(model: DockerfileModel, stage: Stage, examination: Examination): Fix {
  const move: Fix = { edits: moveToBuildPlatform(model, stage), addedLines: 0 };
  if (examination.kind !== 'go') return move;
  const first = examination.goBuilds[0]!.run.node;
  const targets: Fix = { edits: examination.goBuilds.map((build) => insertText(build.at, GO_TARGET)), addedLines: 0 };
  return combineFixes(move, declareArgs(model, stage, first, TARGET_ARGS), targets);
}
