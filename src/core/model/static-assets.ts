import type { DockerfileModel, Stage } from './model.js';
import { runScript } from './script.js';
import { rootImage, stageUses, wholeStageTaken } from './stage-use.js';
import { basename, type ShellWord } from '../parse/shell.js';

/** What a JavaScript/CSS build stage does, as far as moving it to the build platform goes. */
export interface AssetStage {
  /** The build command, as written (`npm run build`). */
  command: string;
  blockers: string[];
}

const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
/** Bundlers and compilers whose output is JavaScript, CSS and files, the same on every platform. */
const BUNDLERS = new Map([
  ['vite', 'build'],
  ['ng', 'build'],
  ['webpack', ''],
  ['esbuild', ''],
  ['tsc', ''],
  ['parcel', 'build'],
  ['rollup', ''],
]);
const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);
/** Directories build tools write their output to. */
const BUILD_DIRS = new Set(['dist', 'build', 'out', 'public', 'static', 'storybook-static', '_site', 'www', 'site']);
/** Images that only serve files: what they get is the same on every platform. */
const FILE_SERVER =
  /(?:^|\/)(?:nginx|nginxinc\/[a-z-]*nginx[a-z-]*|httpd|caddy|lighttpd|distroless\/static|static-web-server)(?::|@|$)/;

/**
 * A stage that runs a JavaScript build, and what keeps it from moving: anything taken from it
 * that is not a build directory, or that lands in a stage that is not a file server. Undefined:
 * no build command.
 */
export function assetStage(model: DockerfileModel, stage: Stage): AssetStage | undefined {
  const command = stage.runs
    .filter((run) => !run.node.onbuild)
    .map((run) => runScript(model, run))
    .flatMap((script) => (script ? buildCommands(script.words) : []))[0];
  if (!command) return undefined;
  const blockers = new Set<string>();
  for (const use of stageUses(model, stage)) {
    if (!use.sources) {
      blockers.add(wholeStageTaken(use));
      continue;
    }
    for (const source of use.sources) {
      if (/(^|\/)node_modules(\/|$)/.test(source)) blockers.add('node_modules is copied on (native addons)');
      else if (!isBuildDir(source)) blockers.add(`${source} is copied on, not only build output`);
    }
    const image = rootImage(use.by);
    if (!isFileServer(image)) blockers.add(`its output goes to ${image}, not a file server`);
  }
  return { command, blockers: [...blockers] };
}

function buildCommands(words: ShellWord[]): string[] {
  const found: string[] = [];
  words.forEach((word, i) => {
    if (!word.isCommand) return;
    let at = i;
    let name = basename(word.value);
    if (
      RUNNERS.has(name) ||
      ((name === 'pnpm' || name === 'yarn') && ['exec', 'dlx'].includes(words[i + 1]?.value ?? ''))
    ) {
      at = RUNNERS.has(name) ? i + 1 : i + 2;
      name = basename(words[at]?.value ?? '');
    }
    const next = words[at + 1]?.value ?? '';
    const bundler = BUNDLERS.get(name);
    let last: number | undefined;
    if (PACKAGE_MANAGERS.has(name)) {
      const ran = next === 'run' || next === 'run-script' ? at + 2 : at + 1;
      if (/^build(?::|$)/.test(words[ran]?.value ?? '')) last = ran;
    } else if (bundler !== undefined && (bundler === '' || next === bundler)) {
      last = bundler === '' ? at : at + 1;
    }
    if (last !== undefined)
      found.push(
        words
          .slice(i, last + 1)
          .map((w) => w.value)
          .join(' '),
      );
  });
  return found;
}

function isBuildDir(source: string): boolean {
  const path = source.replace(/\/(?:\*|\.)?$/, '').replace(/\/+$/, '');
  if (/(^|\/)\.next\/static$/.test(path)) return true;
  return BUILD_DIRS.has(basename(path));
}

const isFileServer = (image: string): boolean =>
  image.toLowerCase() === 'scratch' || FILE_SERVER.test(image.toLowerCase().replace(/^docker\.io\//, ''));
