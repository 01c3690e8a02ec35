import { insertIntoHeredoc, prefixCommand } from '../fix/edits.js';
import type { DockerfileModel, RunNode, Stage } from './model.js';
import type { RunScript } from './script.js';
import type { Fix } from '../types.js';

/**
 * Where a stage's RUN steps execute: on the build machine's own architecture (`build`), on the
 * target's (`target`: emulated when it differs from the build machine's), or on one fixed
 * architecture named in `FROM --platform=os/arch`.
 */
export type StagePlatform = { kind: 'build' } | { kind: 'target' } | { kind: 'fixed'; arch: string };

const BUILDPLATFORM = /^\$(?:BUILDPLATFORM|\{BUILDPLATFORM\})$/;
const LITERAL_PLATFORM = /^[a-z0-9]+\/([a-z0-9_]+)(?:\/[a-z0-9]+)?$/i;

/** The platform follows the FROM chain: a stage built from a stage runs where its parent runs. */
export function stagePlatform(stage: Stage): StagePlatform {
  const flag = stage.platform;
  if (flag === undefined) return stage.parent ? stagePlatform(stage.parent) : { kind: 'target' };
  if (BUILDPLATFORM.test(flag)) return { kind: 'build' };
  const literal = LITERAL_PLATFORM.exec(flag);
  return literal ? { kind: 'fixed', arch: literal[1]!.toLowerCase() } : { kind: 'target' };
}

/** The automatic platform ARGs a guard for this platform reads. */
export function guardArgs(platform: StagePlatform): string[] {
  return platform.kind === 'target' ? ['BUILDARCH', 'TARGETARCH'] : ['BUILDARCH'];
}

/**
 * A POSIX `sh` condition that holds when the step runs emulated: the architecture it runs as
 * differs from the build machine's. linux/386 on amd64 runs natively (the CPU executes it), so
 * it counts as native; an unknown BUILDARCH (no BuildKit) counts as native. Safe under `set -eu`.
 */
function emulatedCondition(platform: StagePlatform): string {
  const arch = platform.kind === 'fixed' ? platform.arch : '${TARGETARCH:-}';
  return `[ -n "\${BUILDARCH:-}" ] && [ "${arch}" != "$BUILDARCH" ] && [ "$BUILDARCH/${arch}" != amd64/386 ]`;
}

/**
 * The shell text that fills `variable` with `emulatedValue` (and runs `emulatedCommands`) only
 * where the step runs emulated, leaving it empty natively. Rules place it before the command
 * and use `$variable` where the command needs it; `guardMarker(variable)` recognises it later.
 */
export function emulationGuard(
  platform: StagePlatform,
  variable: string,
  emulatedValue: string,
  emulatedCommands: readonly string[] = [],
): string {
  const then = [...emulatedCommands, `${variable}=${emulatedValue}`].map((c) => `${c};`).join(' ');
  return `${guardMarker(variable)} if ${emulatedCondition(platform)}; then ${then} fi;`;
}

export const guardMarker = (variable: string): string => `${variable}=;`;

/**
 * The guard placed before the RUN's command on its line, or as the first line of its heredoc
 * script (after the shebang, which must stay first).
 */
export function guardFix(model: DockerfileModel, run: RunNode, script: RunScript, guard: string): Fix {
  if (script.kind === 'command-line') return { edits: [prefixCommand(run, `${guard} `)], addedLines: 0 };
  const afterShebang = script.text.startsWith('#!') ? 1 : 0;
  return insertIntoHeredoc(model, script.sourceStart, afterShebang, guard);
}
