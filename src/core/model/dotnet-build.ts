import type { DockerfileModel, InstructionNode, RunNode, Stage } from './model.js';
import { expandVariables } from './variables.js';
import { noteTargetLibraries, stageCommands, type StageCommand } from './stage-commands.js';
import { childStages, stageUses, wholeStageTaken } from './stage-use.js';
import { fromNode } from '../fix/stage-platform.js';
import { basename, shellWords } from '../parse/shell.js';

/** What a `dotnet restore`/`build`/`publish` stage does, as far as moving it to the build platform goes. */
export interface DotnetStage {
  /** The command, for the message (`dotnet publish`). */
  command: string;
  /** The first RUN that builds for `-a $TARGETARCH`: the stage then needs `ARG TARGETARCH` before it. */
  targeted: RunNode | undefined;
  /** Source spans of the `$TARGETARCH` the stage reads to target its build: reading it there is the point. */
  archReads: { start: number; end: number }[];
  blockers: string[];
}

const BUILDS = new Set(['restore', 'build', 'publish']);
const TARGET_ARCH = /^\$(?:TARGETARCH|\{TARGETARCH\})$/;
/** SDK images whose tag is the SDK's version (`8.0`, `8.0.404-alpine`). */
const SDK_IMAGE = /^(?:docker\.io\/)?mcr\.microsoft\.com\/dotnet\/(?:nightly\/|core\/)?sdk:(\d+)\.(\d+)(?:\.(\d+))?/;
/** The SDK's home and its global tools: the build platform's once the stage moves. */
const SDK_FILES = /^(?:\/usr\/share\/dotnet|\/usr\/lib\/dotnet|(?:\/root|~)\/\.dotnet|\$\{?DOTNET_ROOT\b)/;

/** What one `dotnet` command asks for. */
interface Options {
  targeted: boolean;
  selfContained: boolean;
  noAppHost: boolean;
}

/**
 * A stage that runs `dotnet restore`, `build` or `publish`, and what keeps it from moving. Its
 * output is the same on every platform when nothing names a runtime (framework-dependent IL; the
 * apphost aside), or it is built for the target with `-a $TARGETARCH`. Undefined: no such command.
 */
export function dotnetStage(model: DockerfileModel, stage: Stage): DotnetStage | undefined {
  const blockers = new Set<string>();
  const archReads: DotnetStage['archReads'] = [];
  let command: string | undefined;
  let targeted: RunNode | undefined;
  let appHost = false; // a build or publish for no runtime writes an apphost for the platform it runs on
  for (const found of stageCommands(model, stage)) {
    const { name, args, run } = found;
    if (noteTargetLibraries(blockers, name, args) || name !== 'dotnet') continue;
    const sub = args[0]?.value ?? '';
    if (sub === 'test' || sub === 'run')
      blockers.add(`dotnet ${sub} (it runs what it builds, which would be the build platform's build)`);
    if (!BUILDS.has(sub)) continue;
    if (command !== 'dotnet publish') command = `dotnet ${sub}`;
    const options = readOptions(found, blockers, archReads);
    if (options.targeted) targeted ??= run;
    else if (options.selfContained)
      blockers.add('self-contained without -a $TARGETARCH (it bundles the runtime of the platform it runs on)');
    else if (sub !== 'restore' && !options.noAppHost) appHost = true;
  }
  if (!command) return undefined;
  const image = baseImage(model, stage);
  if (/^(?:docker\.io\/)?mcr\.microsoft\.com\/dotnet\/.*sdk:.*-aot\b/.test(image))
    blockers.add(`its SDK image is the Native AOT one (${stage.base})`);
  if (targeted) {
    const sdk = sdkVersion(image);
    if (!sdk) blockers.add('its SDK version is not known (-a amd64 needs SDK 7.0.300 or later)');
    else if (!acceptsDockerArch(sdk))
      blockers.add(`SDK ${sdk.join('.')} does not take -a amd64 (7.0.300 and later do)`);
  }
  for (const use of stageUses(model, stage)) {
    if (!use.sources) blockers.add(wholeStageTaken(use));
    for (const source of use.sources ?? []) {
      if (SDK_FILES.test(source)) blockers.add(`the SDK or its tools are copied on (${source})`);
    }
    if (appHost && !startsWithDotnet(model, use.by))
      blockers.add("its apphost would be the build platform's, and the image does not start with `dotnet app.dll`");
  }
  return { command, targeted, archReads, blockers: [...blockers] };
}

/** Reads one command's options, noting what names a runtime other than the target's. */
function readOptions(found: StageCommand, blockers: Set<string>, archReads: DotnetStage['archReads']): Options {
  const options: Options = { targeted: false, selfContained: false, noAppHost: false };
  const args = found.args.slice(1);
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const [flag, attached] = splitOption(word.value);
    const next = (): string => attached ?? args[++i]?.value ?? '';
    if (flag === '-a' || flag === '--arch') {
      const valueWord = attached === undefined ? args[i + 1] : word;
      const value = next();
      if (TARGET_ARCH.test(value) && found.script && valueWord) {
        options.targeted = true;
        archReads.push(found.script.sourceSpan(valueWord));
      } else blockers.add(`it builds for a fixed architecture (${flag} ${value})`);
    } else if (flag === '-r' || flag === '--runtime') {
      blockers.add(`it names a runtime identifier (${flag} ${next()}); -a $TARGETARCH is what the rule moves`);
    } else if (flag === '--ucr' || flag === '--use-current-runtime') {
      blockers.add(`it builds for the runtime it runs on (${flag})`);
    } else if (flag === '--sc' || flag === '-sc' || flag === '--self-contained') {
      const value = attached ?? (/^(?:true|false)$/i.test(args[i + 1]?.value ?? '') ? args[++i]!.value : 'true');
      options.selfContained = value.toLowerCase() === 'true';
    } else if (/^[-/]p(?:roperty)?$|^--property$/i.test(flag)) {
      noteProperties(next(), options, blockers);
    }
  }
  return options;
}

/** `-p:A=1;B=2`, `/p:A=1`, `--property:A=1`, `-p A=1`: the MSBuild properties that decide the output. */
function noteProperties(text: string, options: Options, blockers: Set<string>): void {
  for (const pair of text.split(/[;,]/)) {
    const [name = '', value = ''] = pair.split('=');
    const on = value.toLowerCase() === 'true';
    const property = name.toLowerCase();
    if (property === 'publishaot' && on) blockers.add('Native AOT (PublishAot: a native binary for one platform)');
    else if (property === 'publishreadytorun' && on)
      blockers.add('ReadyToRun (PublishReadyToRun: crossgen2 on an arm64 machine cannot compile for x64)');
    else if (property === 'runtimeidentifier')
      blockers.add(`it names a runtime identifier (RuntimeIdentifier=${value})`);
    else if (property === 'selfcontained') options.selfContained = on;
    else if (property === 'useapphost') options.noAppHost = value.toLowerCase() === 'false';
  }
}

/** `--arch=x64` / `-p:Name=v` → the option and its attached value; `-a` → the option alone. */
function splitOption(word: string): [string, string | undefined] {
  const property = /^([-/](?:p|property)|--property):(.*)$/i.exec(word);
  if (property) return [property[1]!, property[2]!];
  const equals = /^(--?[a-z-]+)[=:](.*)$/i.exec(word);
  return equals ? [equals[1]!, equals[2]!] : [word, undefined];
}

/** The SDK version an `mcr.microsoft.com/dotnet/sdk` image's tag names; undefined for any other image. */
function sdkVersion(image: string): number[] | undefined {
  const version = SDK_IMAGE.exec(image);
  if (!version) return undefined;
  const [, major, minor, patch] = version;
  return [Number(major), Number(minor), ...(patch === undefined ? [] : [Number(patch)])];
}

/** The stage's base image, lower-cased, the global ARG defaults substituted (a `--build-arg` may name another). */
function baseImage(model: DockerfileModel, stage: Stage): string {
  const from = fromNode(model, stage);
  const globals = new Map<string, string>();
  for (const d of model.declarations) {
    if (d.stage === undefined && d.keyword === 'ARG' && d.node.seq < from.seq && typeof d.value === 'string')
      globals.set(d.name, d.value);
  }
  return expandVariables(stage.base, (name) => globals.get(name)).text.toLowerCase();
}

/**
 * `-a amd64` (Docker's name for x64) is accepted from SDK 7.0.300 (dotnet/sdk#30762, in 8.0
 * preview 3 and 7.0.300). A `7.0` tag without a patch is one of 7.0's last SDKs (7.0.4xx).
 */
function acceptsDockerArch([major = 0, minor = 0, patch]: number[]): boolean {
  return major > 7 || (major === 7 && minor === 0 && (patch === undefined || patch >= 300));
}

/** Whether every ENTRYPOINT (else CMD) in `stage` and the stages built from it runs `dotnet`. */
function startsWithDotnet(model: DockerfileModel, stage: Stage): boolean {
  const stages = [stage];
  for (let i = 0; i < stages.length; i++) stages.push(...childStages(model, stages[i]!));
  const nodes = stages.flatMap((s) => s.instructions.filter((node) => !node.onbuild));
  const entrypoints = nodes.filter((node) => node.keyword === 'ENTRYPOINT');
  const starts = entrypoints.length > 0 ? entrypoints : nodes.filter((node) => node.keyword === 'CMD');
  return starts.length > 0 && starts.every((node) => basename(program(node)) === 'dotnet');
}

/** The program an ENTRYPOINT or CMD runs, in exec or shell form. */
function program(node: InstructionNode): string {
  const args = node.line.text.slice(node.command.argsIndex).trim();
  if (!args.startsWith('[')) return shellWords(args)[0]?.value ?? '';
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed[0] : '';
  } catch {
    return '';
  }
}
