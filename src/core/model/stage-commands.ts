import type { DockerfileModel, RunNode, Stage } from './model.js';
import { execWords, runScript, type RunScript } from './script.js';
import { basename, type ShellWord } from '../parse/shell.js';

/** One command a stage's RUNs run (ONBUILD triggers excepted: they run elsewhere). */
export interface StageCommand {
  run: RunNode;
  /** The RUN's shell script; undefined for the exec form (its words have no source spans). */
  script: RunScript | undefined;
  /** The command word, as written. */
  word: ShellWord;
  /** Its file name (`./mvnw` → `mvnw`). */
  name: string;
  args: ShellWord[];
}

/** Every command in the stage's RUNs, in order: what a build-tool model reads. */
export function stageCommands(model: DockerfileModel, stage: Stage): StageCommand[] {
  const commands: StageCommand[] = [];
  for (const run of stage.runs) {
    if (run.node.onbuild) continue;
    const script = runScript(model, run);
    const words = script ? script.words : execWords(run);
    words.forEach((word, i) => {
      if (word.isCommand) commands.push({ run, script, word, name: basename(word.value), args: argsOf(words, i) });
    });
  }
  return commands;
}

/** The words after a command, up to the next command or assignment. */
export function argsOf(words: ShellWord[], commandIndex: number): ShellWord[] {
  const args: ShellWord[] = [];
  for (let i = commandIndex + 1; i < words.length && !words[i]!.isCommand && !words[i]!.isAssignment; i++) {
    args.push(words[i]!);
  }
  return args;
}

/** Package managers and the subcommand that installs. */
const INSTALLERS = new Map([
  ['apt-get', 'install'],
  ['apt', 'install'],
  ['apk', 'add'],
  ['yum', 'install'],
  ['dnf', 'install'],
]);
const LIBRARIES = 'it installs target libraries';
const TARGET_LIBRARY = /^lib.+-dev(?::[a-z0-9]+)?$|-dev$|-devel$/;

/**
 * Whether the command installs packages; when one is a development library (`lib…-dev`,
 * `…-devel`: the build platform's, for a target that needs its own), the blocker is noted once.
 */
export function noteTargetLibraries(blockers: Set<string>, command: string, args: ShellWord[]): boolean {
  const installs = INSTALLERS.get(command);
  if (!installs || !args.some((a) => a.value === installs)) return false;
  const library = args.find((a) => !a.value.startsWith('-') && TARGET_LIBRARY.test(a.value));
  if (library && ![...blockers].some((b) => b.startsWith(LIBRARIES))) blockers.add(`${LIBRARIES} (${library.value})`);
  return true;
}
