import { parseArgs } from 'node:util';

export type Mode = 'print' | 'diff' | 'check' | 'in-place';
export type Format = 'text' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];

export interface CliOptions {
  mode: Mode;
  format: Format;
  /** `--format json` or `--format sarif`: one report on stdout, nothing else. */
  json: boolean;
  paths: string[];
  enable: string[] | undefined;
  disable: string[] | undefined;
  listRules: boolean;
  /** undefined: as the config file says (default off). */
  applySuggested: boolean | undefined;
  /** `--config PATH`; undefined: search from each Dockerfile's directory upwards. */
  config: string | undefined;
  noConfig: boolean;
  reportUnusedDirectives: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

export function parseOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        diff: { type: 'boolean' },
        check: { type: 'boolean' },
        'in-place': { type: 'boolean', short: 'i' },
        format: { type: 'string', short: 'f' },
        json: { type: 'boolean' },
        enable: { type: 'string' },
        disable: { type: 'string' },
        'list-rules': { type: 'boolean' },
        'apply-suggested': { type: 'boolean' },
        'no-apply-suggested': { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        'no-config': { type: 'boolean' },
        'report-unused-directives': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const modes = (['diff', 'check', 'in-place'] as const).filter((m) => values[m]);
  if (modes.length > 1) throw new UsageError(`choose one of --${modes.join(', --')}`);
  const format = (values.format ?? (values.json ? 'json' : 'text')) as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format "${format}" (known: ${FORMATS.join(', ')})`);
  if (values.json && format !== 'json')
    throw new UsageError(`--json is --format json; it cannot go with --format ${format}`);
  if (values['apply-suggested'] && values['no-apply-suggested'])
    throw new UsageError('choose one of --apply-suggested, --no-apply-suggested');
  if (values.config !== undefined && values['no-config']) throw new UsageError('choose one of --config, --no-config');
  return {
    mode: modes[0] ?? 'print',
    format,
    json: format === 'json' || format === 'sarif',
    paths: positionals,
    enable: list(values.enable),
    disable: list(values.disable),
    listRules: values['list-rules'] ?? false,
    applySuggested: values['apply-suggested'] ? true : values['no-apply-suggested'] ? false : undefined,
    config: values.config,
    noConfig: values['no-config'] ?? false,
    reportUnusedDirectives: values['report-unused-directives'] ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

export const HELP = `Usage: dfrewrite [options] <Dockerfile|compose.yaml|directory|->...

Rewrites Dockerfiles to remove BuildKit build pitfalls. Without a mode, prints the
rewritten file (one file, or - for standard input). Findings go to stderr as
file:line:col rule-id message.

Modes:
  --diff            print a unified diff of what would change; write nothing
  --check           write nothing; list files that would change; exit 1 if any
  -i, --in-place    rewrite changed files in place (atomically, keeping their mode)

Output:
  -f, --format F    text (default), json (a report on stdout), sarif (SARIF 2.1.0
                    on stdout, for code scanning), github (findings as GitHub
                    Actions annotations on stdout)
  --json            the same as --format json
  --report-unused-directives
                    also report "# dfrewrite: ignore" directives that suppressed
                    nothing; exit 1 if there are any

Rules:
  --enable a,b      run only these rules (over the config file)
  --disable a,b     do not run these rules (on top of the config file)
  --apply-suggested apply suggested fixes too (safe fixes are always applied)
  --no-apply-suggested
                    do not, whatever the config file says
  --list-rules      list the rules and exit

Configuration (.dfrewrite.json, .dfrewrite.yaml, or "dfrewrite" in package.json,
found from each Dockerfile's directory upwards; flags override it, in-file
"# dfrewrite:" directives override both):
  -c, --config PATH use this file for every Dockerfile
  --no-config       read no configuration file

  -h, --help        show this help
  -v, --version     print the version

A directory is searched (skipping .git and node_modules) for
  - Dockerfiles: names with Dockerfile or Containerfile (any case) as a word,
    alone or joined by . - or _ (Dockerfile, Dockerfile.dev, web.Dockerfile,
    Dockerfile-cuda, Dockerfile_prod, api.dockerfile, app.Containerfile), but
    not *.dockerignore, source code, documents or templates (dockerfile_test.go,
    Dockerfile.md, Dockerfile.j2, *.template, *.tmpl, *.in). One found by a
    loose name (not Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile,
    Containerfile.*) that does not parse is listed as skipped, not an error.
  - Compose files (compose.yaml, compose.yml, docker-compose.yml,
    docker-compose.yaml, their .override files; named on the command line, any
    *compose*.yml or .yaml): the Dockerfiles their services build, whatever
    their names, and dockerfile_inline (reported at its lines in the Compose
    file, not rewritten); include: files are followed; paths are interpolated
    from the environment and .env; remote contexts and paths naming unset
    variables are skipped with a note, and so is a Compose file that builds
    nothing.
Each file is checked once. Symbolic links named on the command line are
followed; links met inside a directory are skipped.

Exit codes: 0 done or nothing to change; 1 --check found changes, or
--report-unused-directives found unused directives; 2 usage, configuration or
input error (nothing is written when the configuration is invalid).

Examples:
  dfrewrite Dockerfile > Dockerfile.fixed
  dfrewrite --diff .
  dfrewrite --check .                              # in CI: exit 1 if a file would change
  dfrewrite -i --disable uv-emulated-bytecode Dockerfile
  dfrewrite --check --format sarif . > dfrewrite.sarif
  dfrewrite --check --format github .              # annotations in GitHub Actions
  dfrewrite --check --report-unused-directives .
  dfrewrite --check deploy/docker-compose.prod.yml  # the Dockerfiles it builds
  dfrewrite --config ci/dfrewrite.yaml --diff services/
  cat Dockerfile | dfrewrite - > Dockerfile.new
`;
