/**
 * Entry point of the embedded frontend binary (native/main.c runs its bytecode, after giving up
 * root and making fd 1 non-blocking). Nothing is written to stdout but the answer: in the
 * image, stdout carries the gRPC stream.
 */
import './globals.js';
import * as os from 'qjs:os';
import * as std from 'qjs:std';
import { FdWriter } from './fd-writer.js';
import { encodeUtf8 } from './utf8.js';
import { answerAll } from './rewrite-only.js';
import { describeIdentity } from './identity.js';
import pkg from '../../../package.json' with { type: 'json' };

const STDOUT = 1;

async function main(args: string[]): Promise<number> {
  if (args[0] === '--version') return reply(`dfrewrite frontend ${pkg.version} (embedded)\n`);
  if (args[0] === '--rewrite-only') return reply(answerAll(std.in.readAsString()));
  if (args[0] === '--identity') {
    return reply(`${describeIdentity(std.loadFile('/proc/self/status'), std.getenv('DFREWRITE_PRIVILEGES'))}\n`);
  }
  std.err.puts(`dfrewrite: usage: dfrewrite-frontend --version | --identity | --rewrite-only < cases.json\n`);
  return 2;
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
