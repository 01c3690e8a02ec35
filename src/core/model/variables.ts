import { cleanPath, type Mount } from '../parse/mount.js';
import type { InstructionNode } from './model.js';

/**
 * Variables as BuildKit substitutes them, read from the model's scopes. Measured on Docker 20.10
 * (BuildKit 0.8) and 28.5 (docs/arg-scoping.md): a bare `ARG NAME` in a stage takes the global
 * default, a stage built `FROM` another stage sees that stage's ARG and ENV values, and BuildKit
 * 0.8 substitutes nothing in `--mount` options (0.9 and later do). The values here are those the
 * Dockerfile writes; a `--build-arg` may replace an ARG's.
 */

/**
 * The value of `name` in the environment of `node` as the Dockerfile sets it: ENV in effect
 * (inherited through `FROM <stage>`), else an ARG in scope. `null`: an ARG declared without a
 * default (set by `--build-arg` or by BuildKit); undefined: not set by the Dockerfile.
 * An ONBUILD trigger runs in a later build: only this stage's final ENV counts there.
 */
export function variableAt(node: InstructionNode, name: string): string | null | undefined {
  const stage = node.stage;
  if (!stage) return undefined;
  if (node.onbuild) return stage.env.get(name) ?? undefined;
  const env = stage.env.get(name, node.seq);
  if (env !== undefined) return env;
  return stage.args.get(name, node.seq);
}

/** `variableAt` as a lookup for `expandVariables`: only values the Dockerfile writes out. */
export function variablesAt(node: InstructionNode): (name: string) => string | undefined {
  return (name) => {
    const value = variableAt(node, name);
    return typeof value === 'string' ? value : undefined;
  };
}

/**
 * `text` with the variables in scope at `node` substituted, and the ARGs whose values it used: a
 * `--build-arg` may give those another value than the one substituted here.
 */
export function expandAt(node: InstructionNode, text: string): { text: string; fromArgs: string[] } {
  const fromArgs = new Set<string>();
  const lookup = variablesAt(node);
  const expanded = expandVariables(text, (name) => {
    const value = lookup(name);
    if (value !== undefined && node.stage?.env.get(name, node.seq) === undefined) fromArgs.add(name);
    return value;
  });
  return { text: expanded.text, fromArgs: [...fromArgs] };
}

/**
 * A mount's target as BuildKit 0.9 and later see it: variables in scope substituted, the path
 * cleaned. (BuildKit 0.8 mounts the target as written.)
 */
export function mountTarget(node: InstructionNode, mount: Mount): string | undefined {
  return mount.target === undefined ? undefined : cleanPath(expandVariables(mount.target, variablesAt(node)).text);
}

/** A cache mount's id as BuildKit 0.9 and later see it: `id=` with variables substituted, else the target. */
export function cacheMountId(node: InstructionNode, mount: Mount): string | undefined {
  const explicit = mount.get('id')?.value;
  return explicit ? expandVariables(explicit, variablesAt(node)).text : mountTarget(node, mount);
}

/** A word with its variables substituted. */
export interface Expansion {
  /** Unresolved references are kept as written (`$X` becomes `${X}`). */
  text: string;
}

const VARIABLE = /\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\})/g;

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}` (and the forms without `:`)
 * the way BuildKit expands flags and paths, with `lookup` giving a value or undefined when unknown.
 */
export function expandVariables(text: string, lookup: (name: string) => string | undefined): Expansion {
  const expanded = text.replace(
    VARIABLE,
    (
      whole,
      plain: string | undefined,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
    ) => {
      const name = (plain ?? braced)!;
      const value = lookup(name);
      if (value === undefined) {
        return plain !== undefined ? `\${${name}}` : whole;
      }
      switch (op) {
        case ':-':
          return value === '' ? word! : value;
        case '-':
          return value;
        case ':+':
          return value === '' ? '' : word!;
        case '+':
          return word!;
        default:
          return value;
      }
    },
  );
  return { text: expanded };
}
