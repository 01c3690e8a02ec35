/** What BuildKit passes a gateway frontend, and the settings dfrewrite reads from it. */

/** The built-in Dockerfile frontend, the default upstream. */
export const BUILTIN_UPSTREAM = 'dockerfile.v0';

/** Frontend options, from `BUILDKIT_FRONTEND_OPT_<n>=key=value` (any numbering; a later duplicate wins). */
export function frontendOptions(env: NodeJS.ProcessEnv): Map<string, string> {
  const options = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('BUILDKIT_FRONTEND_OPT_') || value === undefined) continue;
    const eq = value.indexOf('=');
    // As BuildKit's own client: a pair without '=' is a key with an empty value.
    if (eq === -1) options.set(value, '');
    else options.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return options;
}

export interface Settings {
  /** False when `build-arg:DFREWRITE=off`: the Dockerfile goes to the upstream untouched. */
  enabled: boolean;
  /** `dockerfile.v0` or an image reference run through `gateway.v0`. */
  upstream: string;
  /**
   * True when `--upstream` or `DFREWRITE_UPSTREAM` named the upstream; otherwise a `# syntax=`
   * line in a file that BUILDKIT_SYNTAX sent to dfrewrite names it (see syntax.ts).
   */
  upstreamExplicit: boolean;
  /** Rule ids not to run. */
  disable: string[];
  /** Apply `suggested` fixes too (they change what the build does); `safe` ones always are. */
  applySuggested: boolean;
  /** Arguments on the syntax line that mean nothing to dfrewrite, to report. */
  unknownArguments: string[];
  /** `build-arg:DFREWRITE_DEBUG`: the step's name also tells who ran and how long it took. */
  debug: boolean;
  /** The image dfrewrite was started as (`source`, else the syntax line's first word). */
  self: string;
}

/**
 * Reads dfrewrite's settings from the syntax line's arguments (`cmdline`: the image, then
 * `--upstream=REF`, `--disable=ID,ID`, `--apply-suggested`) and the build args `DFREWRITE`,
 * `DFREWRITE_UPSTREAM`, `DFREWRITE_DISABLE`, `DFREWRITE_APPLY_SUGGESTED` and `DFREWRITE_DEBUG`,
 * which override the syntax line (the command line beats the file).
 */
export function readSettings(options: Map<string, string>): Settings {
  const settings: Settings = {
    enabled: true,
    upstream: BUILTIN_UPSTREAM,
    upstreamExplicit: false,
    disable: [],
    applySuggested: false,
    unknownArguments: [],
    debug: false,
    self: '',
  };
  const [image = '', ...args] = (options.get('cmdline') ?? '').trim().split(/\s+/);
  settings.self = options.get('source') || image;
  for (const arg of args) {
    const [flag, value] = splitFlag(arg);
    if (flag === '--upstream' && value) {
      settings.upstream = value;
      settings.upstreamExplicit = true;
    } else if (flag === '--disable' && value !== undefined) settings.disable = ruleIds(value);
    else if (arg === '--apply-suggested') settings.applySuggested = true;
    else settings.unknownArguments.push(arg);
  }
  const buildArg = (name: string) => options.get(`build-arg:${name}`)?.trim();
  if (isOff(buildArg('DFREWRITE'))) settings.enabled = false;
  const upstream = buildArg('DFREWRITE_UPSTREAM');
  if (upstream) {
    settings.upstream = upstream;
    settings.upstreamExplicit = true;
  }
  const disable = buildArg('DFREWRITE_DISABLE');
  if (disable !== undefined) settings.disable = ruleIds(disable);
  const applySuggested = buildArg('DFREWRITE_APPLY_SUGGESTED');
  if (applySuggested !== undefined) settings.applySuggested = !isOff(applySuggested);
  const debug = buildArg('DFREWRITE_DEBUG');
  settings.debug = debug !== undefined && debug !== '' && !isOff(debug);
  return settings;
}

function isOff(value: string | undefined): boolean {
  return /^(off|false|0|no)$/i.test(value ?? '');
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function ruleIds(list: string): string[] {
  return list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}
