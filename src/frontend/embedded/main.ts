/**
 * Entry point of the embedded frontend binary, the frontend image's only program: native/main.c
 * runs its bytecode after giving up root and making stdout non-blocking. Started by BuildKit
 * without arguments, it is the frontend, on stdin/stdout; the arguments are for people and tests.
 */
import './globals.js';
import * as os from 'qjs:os';
import * as std from 'qjs:std';
import { fdChannel } from './fd-channel.js';
import { FdWriter } from './fd-writer.js';
import { encodeUtf8 } from '../../core/parse/utf8.js';
import { answerAll } from './rewrite-only.js';
import { idsOf } from './identity.js';
import { runFrontend } from '../frontend.js';
import pkg from '../../../package.json' with { type: 'json' };

const STDIN = 0;
const STDOUT = 1;

async function main(args: string[]): Promise<number> {
  if (args.length === 0) return frontend();
  if (args[0] === '--version') return reply(`dfrewrite frontend ${pkg.version} (embedded)\n`);
  if (args[0] === '--rewrite-only') return reply(answerAll(std.in.readAsString()));
  if (args[0] === '--identity') return reply(`${ids()}; ${privileges()}\n`);
  std.err.puts(`dfrewrite: usage: dfrewrite-frontend [--version | --identity | --rewrite-only < cases.json]\n`);
  return 2;
}

function frontend(): Promise<number> {
  return runFrontend({
    env: std.getenviron(),
    channel: fdChannel(os, STDIN, STDOUT),
    log: (message) => std.err.puts(`dfrewrite: ${message}\n`),
    dropPrivileges: privileges,
    now: () => performance.now(),
    cpuTime: () => os.cputime() / 1000,
    identity: ids,
    idle: () => new Promise((resolve) => os.setTimeout(resolve, 0)),
  });
}

/** What native/main.c did about root, before any JavaScript ran. */
function privileges(): string {
  return std.getenv('DFREWRITE_PRIVILEGES') ?? 'privileges unknown';
}

function ids(): string {
  return idsOf(std.loadFile('/proc/self/status'));
}

async function reply(text: string): Promise<number> {
  const out = new FdWriter(os, STDOUT);
  out.write(encodeUtf8(text));
  await out.drained();
  return 0;
}

main(scriptArgs.slice(1)).then(
  (code) => std.exit(code),
  (error: unknown) => {
    std.err.puts(`dfrewrite: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    std.exit(1);
  },
);
