import type { DockerfileModel, RunNode, Stage } from './model.js';
import { variableAt } from './variables.js';
import { runScript, whyNotShellEditable } from './script.js';
import { argsOf, noteTargetLibraries } from './stage-commands.js';
import { basename, type ShellWord } from '../parse/shell.js';

/** One `go build` in a stage: where the target settings go (before `go`). */
export interface GoBuild {
  run: RunNode;
  /** Source offset of the `go` word. */
  at: number;
}

/** What a stage does with Go, as far as moving it to the build platform goes. */
export interface GoStage {
  builds: GoBuild[];
  /** Why the stage's output would change if it ran on the build platform, one short phrase each. */
  blockers: string[];
}

const TARGET_SETTINGS = /^(GOOS|GOARCH|GOARM|GOAMD64)=/;
const DECLARING = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

/**
 * Reads a stage's `go` commands: the `go build`s to cross-compile, and what would make the
 * result differ on the build platform (cgo not explicitly off, `go install`, running what it
 * builds, target libraries, a target chosen by the stage itself). Undefined: the stage builds no Go.
 */
export function goStage(model: DockerfileModel, stage: Stage): GoStage | undefined {
  const builds: GoBuild[] = [];
  const blockers = new Set<string>();
  let cgoOffForStage = false; // `go env -w CGO_ENABLED=0` in an earlier RUN
  let goSeen = false;
  const outputs: string[] = [];
  for (const run of stage.runs) {
    if (run.node.onbuild) continue;
    const script = runScript(model, run);
    if (!script) {
      const args = run.execArgs ?? [];
      if (basename(args[0] ?? '') === 'go' && args[1] === 'build') {
        goSeen = true;
        blockers.add('go build in exec form (JSON) cannot be given the target');
      }
      continue;
    }
    const words = script.words;
    let cgoOffInScript = false;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (!word.isCommand) continue;
      const command = basename(word.value);
      const args = argsOf(words, i);
      if (DECLARING.has(command)) {
        if (args.some((a) => a.value === 'CGO_ENABLED=0')) cgoOffInScript = true;
        if (args.some((a) => TARGET_SETTINGS.test(a.value))) blockers.add('the stage sets GOOS/GOARCH itself');
        continue;
      }
      if (noteTargetLibraries(blockers, command, args)) continue;
      if (outputs.some((out) => runsOutput(word.value, out))) {
        blockers.add(`it runs the binary it builds (${word.value})`);
        continue;
      }
      if (command !== 'go') continue;
      goSeen = true;
      const sub = args[0]?.value;
      const assignments = assignmentsBefore(words, i);
      if (assignments.some((a) => TARGET_SETTINGS.test(a.value))) blockers.add('the stage sets GOOS/GOARCH itself');
      if (sub === 'env' && args.some((a) => a.value === '-w')) {
        if (args.some((a) => a.value === 'CGO_ENABLED=0')) cgoOffForStage = true;
        if (args.some((a) => TARGET_SETTINGS.test(a.value))) blockers.add('the stage sets GOOS/GOARCH itself');
      } else if (sub === 'build') {
        const cgoOff =
          cgoOffForStage ||
          cgoOffInScript ||
          assignments.some((a) => a.value === 'CGO_ENABLED=0') ||
          variableAt(run.node, 'CGO_ENABLED') === '0';
        if (!cgoOff) blockers.add('cgo is not explicitly off (CGO_ENABLED=0)');
        const output = outputOf(args);
        if (output) outputs.push(output);
        const notEditable = whyNotShellEditable(run, script);
        if (notEditable) blockers.add(notEditable);
        builds.push({ run, at: script.sourceSpan(word).start });
      } else if (sub === 'install' && !args.slice(1).some((a) => /^[^-].*@/.test(a.value))) {
        // `go install tool@version` builds a tool for this stage to run, natively: fine.
        blockers.add('go install (it puts a cross-compiled binary in $GOPATH/bin/<os>_<arch>/)');
      } else if (sub === 'test' || sub === 'run') {
        blockers.add(`go ${sub} (it runs what it builds, which would be the build platform's build)`);
      }
    }
  }
  for (const declaration of stage.declarations) {
    if (TARGET_SETTINGS.test(`${declaration.name}=`)) blockers.add('the stage sets GOOS/GOARCH itself');
  }
  if (!goSeen || (builds.length === 0 && blockers.size === 0)) return undefined;
  return { builds, blockers: [...blockers] };
}

/** The `NAME=value` words right before a command (its environment). */
function assignmentsBefore(words: ShellWord[], commandIndex: number): ShellWord[] {
  const found: ShellWord[] = [];
  for (let i = commandIndex - 1; i >= 0 && (words[i]!.isAssignment || words[i]!.value === 'env'); i--) {
    if (words[i]!.isAssignment) found.push(words[i]!);
  }
  return found;
}

/** The `-o` value of a `go build`. */
function outputOf(args: ShellWord[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value;
    if (value === '-o') return args[i + 1]?.value;
    if (value.startsWith('-o=')) return value.slice(3);
  }
  return undefined;
}

/** Whether a command word runs the file a `go build -o` wrote (a directory output is not followed). */
function runsOutput(command: string, output: string): boolean {
  if (output.endsWith('/')) return false;
  const strip = (path: string): string => path.replace(/^\.\//, '');
  return strip(command) === strip(output) || (!output.includes('/') && command === `./${output}`);
}
