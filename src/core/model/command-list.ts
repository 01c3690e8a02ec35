import type { RunScript } from './script.js';
import type { ShellToken, ShellWord } from '../parse/shell.js';

/**
 * The simple commands of a RUN's script and where they stand (top level or nested, in which
 * `&&` list). Taking one out of the script is src/core/fix/remove-command.ts.
 */
export interface ShellCommand {
  /** Its words: leading assignments, wrappers (`sudo`, `env`), the command, its arguments. */
  words: ShellWord[];
  /** Offsets in the script's text. */
  start: number;
  end: number;
  /** Inside `( )`, `{ }`, `if`, `while`, `until`, `for`, `case` (or a function body). */
  nested: boolean;
  /** Index of the first and last of its tokens. */
  first: number;
  last: number;
}

export interface ScriptCommands {
  script: RunScript;
  tokens: ShellToken[];
  /** Nesting depth of each token; an opening or closing word or parenthesis has the outer depth. */
  depths: number[];
  commands: ShellCommand[];
}

const OPENERS = new Set(['if', 'while', 'until', 'for', 'case', 'select', '{']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const PREFIXES = new Set(['then', 'else', 'elif', 'do', '!', 'time']);
/** Operators after which a line break only continues the list. */
export const CONTINUING = new Set(['&&', '||', '|', '|&']);

const parsedScripts = new WeakMap<RunScript, ScriptCommands>();

export function scriptCommands(script: RunScript): ScriptCommands {
  let parsed = parsedScripts.get(script);
  if (!parsed) parsedScripts.set(script, (parsed = listCommands(script)));
  return parsed;
}

function listCommands(script: RunScript): ScriptCommands {
  const { tokens } = script;
  const depths: number[] = [];
  const commands: ShellCommand[] = [];
  let depth = 0;
  let cases = 0;
  let current: { first: number; words: ShellWord[] } | undefined;
  const flush = (last: number): void => {
    if (!current) return;
    const words = current.words;
    commands.push({
      words,
      start: words[0]!.start,
      end: words[words.length - 1]!.end,
      nested: depths[current.first]! > 0,
      first: current.first,
      last,
    });
    current = undefined;
  };
  tokens.forEach((token, i) => {
    if (token.kind === 'operator') {
      flush(i - 1);
      const { value } = token.operator;
      if (value === '(' && cases === 0) {
        depths[i] = depth++;
      } else if (value === ')' && cases === 0) {
        depth = Math.max(0, depth - 1);
        depths[i] = depth;
      } else {
        depths[i] = depth;
      }
      return;
    }
    const { word } = token;
    if (token.commandPosition && !current) {
      if (OPENERS.has(word.value)) {
        depths[i] = depth++;
        if (word.value === 'case') cases++;
        return;
      }
      if (CLOSERS.has(word.value)) {
        depth = Math.max(0, depth - 1);
        depths[i] = depth;
        if (word.value === 'esac') cases = Math.max(0, cases - 1);
        return;
      }
      if (PREFIXES.has(word.value)) {
        depths[i] = depth;
        return;
      }
    }
    depths[i] = depth;
    current ??= { first: i, words: [] };
    current.words.push(word);
  });
  flush(tokens.length - 1);
  return { script, tokens, depths, commands };
}

/** The word naming what a command runs: after assignments and wrappers (`sudo rm` → `rm`). */
export function commandName(command: ShellCommand): number {
  let index = -1;
  command.words.forEach((word, i) => {
    if (word.isCommand) index = i;
  });
  return index;
}
