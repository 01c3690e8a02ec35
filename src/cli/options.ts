import { parseArgs } from 'node:util';

export type Mode = 'print' | 'diff' | 'check' | 'in-place';

export interface CliOptions {
  mode: Mode;
  json: boolean;
  paths: string[];
  enable: string[] | undefined;
  disable: string[] | undefined;
  listRules: boolean;
  applySuggested: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);

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
        json: { type: 'boolean' },
        enable: { type: 'string' },
        disable: { type: 'string' },
        'list-rules': { type: 'boolean' },
        'apply-suggested': { type: 'boolean' },
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
  return {
    mode: modes[0] ?? 'print',
    json: values.json ?? false,
    paths: positionals,
    enable: list(values.enable),
    disable: list(values.disable),
    listRules: values['list-rules'] ?? false,
    applySuggested: values['apply-suggested'] ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

export const HELP = `Usage: dfrewrite [options] <Dockerfile|directory|->...

Rewrites Dockerfiles to remove BuildKit build pitfalls. Without a mode, prints the
rewritten file (one file, or - for standard input). Findings go to stderr as
file:line:col rule-id message.

Modes:
  --diff            print a unified diff of what would change; write nothing
  --check           write nothing; list files that would change; exit 1 if any
  -i, --in-place    rewrite changed files in place (atomically, keeping their mode)

Options:
  --json            print a JSON report (files, findings) on stdout instead
  --enable a,b      run only these rules
  --disable a,b     do not run these rules
  --apply-suggested apply suggested fixes too (safe fixes are always applied)
  --list-rules      list the rules and exit
  -h, --help        show this help
  -v, --version     print the version

A directory is searched for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile
(skipping .git, node_modules and *.dockerignore). Symbolic links named on the
command line are followed; links met inside a directory are skipped.

Exit codes: 0 done or nothing to change, 1 --check found changes, 2 usage or input error.

Examples:
  dfrewrite Dockerfile > Dockerfile.fixed
  dfrewrite --diff .
  dfrewrite --check --json services/ > report.json
  dfrewrite -i --disable uv-emulated-bytecode Dockerfile
`;
