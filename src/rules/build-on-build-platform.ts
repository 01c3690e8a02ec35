import { combineFixes, declareArgs, insertText } from '../core/fix/edits.js';
import { fromNode, moveToBuildPlatform } from '../core/fix/stage-platform.js';
import { goStage, type GoBuild } from '../core/model/go-build.js';
import { dotnetStage } from '../core/model/dotnet-build.js';
import { jvmStage } from '../core/model/jvm-build.js';
import type { DockerfileModel, InstructionNode, Stage } from '../core/model/model.js';
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
  /** What it runs, for the message. */
  what: string;
  /** Why its output stays right on the build platform, for the message. */
  how: string;
  blockers: string[];
  /** The edits besides the move that make it build for the target (Go's GOOS/GOARCH, .NET's ARG). */
  target?: () => Fix;
  /** Where the stage reads $TARGETARCH to build for the target (not a blocker there). */
  targetReads?: { start: number; end: number }[];
}

export const buildOnBuildPlatform: Rule = {
  id: 'build-on-build-platform',
  summary:
    'A stage whose output is the same on every platform (Go with cgo off, static assets, JVM bytecode, .NET IL or -a $TARGETARCH) runs on the build platform instead of under QEMU.',
  fixLevel: 'suggested',
  prefilter: (source) =>
    /\bgo\b|\b(?:npm|yarn|pnpm|bun|vite|webpack|esbuild|tsc|ng|parcel|rollup|mvnw?|gradlew?|dotnet)\b/.test(source),
  evidence: [
    'https://docs.docker.com/build/building/multi-platform/#cross-compilation',
    'https://github.com/seebom-labs/BOMHort/issues/183',
    'https://github.com/zereight/gitlab-mcp/issues/729',
    'https://github.com/RackulaLives/Rackula/issues/2707',
    'https://docs.oracle.com/javase/specs/jvms/se21/html/jvms-2.html#jvms-2.1',
    'https://github.com/dotnet/sdk/pull/30762',
    'https://learn.microsoft.com/dotnet/core/deploying/ready-to-run',
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
        const move: Fix = { edits: moveToBuildPlatform(model, stage), addedLines: 0 };
        report({
          ...base,
          message: `${what}: moved to the build platform (FROM --platform=$BUILDPLATFORM), ${examination.how}`,
          fix: examination.target ? combineFixes(move, examination.target()) : move,
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
  const examination = kindOf(model, stage);
  if (!examination) return undefined;
  const uses = stageUses(model, stage);
  const last = stage.index === model.stages.length - 1;
  if (uses.length === 0 && !last) return undefined; // not built at all, unless asked for with --target
  const blockers = examination.blockers;
  if (last) blockers.push('it is the last stage (the image itself)');
  const children = childStages(model, stage);
  if (children.length > 0) blockers.push(`stage ${children[0]!.name ?? children[0]!.index} is built FROM it`);
  if (stage.parent) blockers.push(`it is built FROM stage ${stage.parent.name ?? stage.parent.index}`);
  const runs = stage.runs.filter((run) => !run.node.onbuild);
  if (runs.some((run) => probesArchitecture(runScript(model, run)?.text ?? '')))
    blockers.push('it asks which architecture it runs on');
  if (TARGET_READ.test(fromNode(model, stage).line.text))
    blockers.push("its base image is chosen by $TARGETARCH (the build platform would run the target's image)");
  const reads = (node: InstructionNode): boolean =>
    TARGET_READ.test(textOutside(model, node, examination.targetReads ?? []));
  if (stage.instructions.some((node) => !node.onbuild && reads(node)))
    blockers.push('it reads $TARGETARCH (what it fetches for the target would run on the build platform)');
  return examination;
}

/** The stage's kind, tried in turn: Go, JVM, .NET, static assets (a Maven stage may also bundle JavaScript). */
function kindOf(model: DockerfileModel, stage: Stage): Examination | undefined {
  const go = goStage(model, stage);
  if (go)
    return {
      what: 'go build',
      how: 'cross-compiling with GOOS=$TARGETOS GOARCH=$TARGETARCH',
      blockers: go.blockers,
      target: () => goTarget(model, stage, go.builds),
    };
  const jvm = jvmStage(model, stage);
  if (jvm) return { what: `${jvm.tool} (JVM)`, how: 'bytecode is the same on every platform', blockers: jvm.blockers };
  const dotnet = dotnetStage(model, stage);
  if (dotnet) {
    const targeted = dotnet.targeted;
    return {
      what: `${dotnet.command} (.NET)`,
      how: targeted ? 'building for the target with -a $TARGETARCH' : 'its IL is the same on every platform',
      blockers: dotnet.blockers,
      target: targeted && (() => declareArgs(model, stage, targeted.node, ['TARGETARCH'])),
      targetReads: dotnet.archReads,
    };
  }
  const assets = assetStage(model, stage);
  if (assets)
    return {
      what: `${assets.command} (static assets)`,
      how: 'its output is the same on every platform',
      blockers: assets.blockers,
    };
  return undefined;
}

/** An instruction's text with `spans` blanked out. */
function textOutside(model: DockerfileModel, node: InstructionNode, spans: { start: number; end: number }[]): string {
  let text = model.source.slice(node.start, node.end);
  for (const span of spans) {
    if (span.start < node.start || span.end > node.end) continue;
    const [from, to] = [span.start - node.start, span.end - node.start];
    text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
  }
  return text;
}

/** Go's target: the target ARGs, and `GOOS=… GOARCH=…` before each `go build`. */
function goTarget(model: DockerfileModel, stage: Stage, builds: GoBuild[]): Fix {
  const targets: Fix = { edits: builds.map((build) => insertText(build.at, GO_TARGET)), addedLines: 0 };
  return combineFixes(declareArgs(model, stage, builds[0]!.run.node, TARGET_ARGS), targets);
}
