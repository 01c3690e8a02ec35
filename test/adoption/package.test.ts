/**
 * The npm package as users get it: `npm pack` (from a snapshot of this tree, so that the build it
 * runs cannot disturb other tests), then an install of the tarball into an empty directory. Its
 * only runtime dependency comes from the npm registry (the bundles carry the rest).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXED, NEEDS_FIX, snapshotOfThisRepository, tree } from './helpers.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const npm = (cwd: string, ...args: string[]) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

describe('npm pack, installed into an empty directory', { timeout: 300_000 }, () => {
  const root = tree({}, 'dfrewrite-package-');
  const source = snapshotOfThisRepository(join(root, 'source'));
  symlinkSync(resolve('node_modules'), join(source, 'node_modules'), 'dir');
  let tarball = '';
  let packed: { files: { path: string }[] }[] = [];
  const app = join(root, 'app');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('packs only what users need', () => {
    packed = JSON.parse(npm(source, 'pack', '--json', '--pack-destination', root));
    tarball = join(root, (packed[0] as unknown as { filename: string }).filename);
    const files = packed[0]!.files.map((f) => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/dfrewrite.js',
        'bin/package.json',
        'dist/cli.cjs',
        'dist/cli-chunks/yaml.cjs',
        'dist/index.js',
        'dist/types/index.d.ts',
        'package.json',
        'README.md',
        'schema/dfrewrite.schema.json',
      ]),
    );
    const unexpected = files.filter(
      (f) =>
        !/^(bin\/|dist\/cli\.cjs$|dist\/index\.js$|dist\/cli-chunks\/[\w-]+\.cjs$|dist\/types\/.*\.d\.ts$|docs\/(rules\/.*|directives|config|adoption)\.md$|schema\/dfrewrite\.schema\.json$|package\.json$|README\.md$|LICENSE$)/.test(
          f,
        ),
    );
    expect(unexpected).toEqual([]);
    expect(pkg.engines.node).toMatch(/^>=20/);
  });

  it('installs into an empty directory; the bin runs: --version, --help, a Dockerfile', () => {
    execFileSync('mkdir', ['-p', app]);
    npm(app, 'init', '-y');
    npm(app, 'install', '--prefer-offline', tarball);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/dfrewrite/package.json'), 'utf8'));
    expect(Object.keys(installed.dependencies ?? {})).toEqual(Object.keys(pkg.dependencies ?? {}));
    const npx = (...args: string[]) =>
      spawnSync('npx', ['--no-install', 'dfrewrite', ...args], { cwd: app, encoding: 'utf8', input: NEEDS_FIX });
    expect(npx('--version').stdout).toBe(`${pkg.version}\n`);
    expect(npx('--help').stdout).toMatch(/^Usage: dfrewrite[\s\S]*Examples:/);
    writeFileSync(join(app, 'Dockerfile'), NEEDS_FIX);
    const check = npx('--check', 'Dockerfile');
    expect(check.status).toBe(1);
    expect(check.stdout).toBe('would rewrite Dockerfile\n');
    expect(npx('-').stdout).toBe(FIXED);
  });

  it("import { rewrite } from 'dfrewrite' works, with types", () => {
    const script =
      "import { rewrite, allRules, ruleDocUrl } from 'dfrewrite'; const r = rewrite(process.argv[1]); console.log(JSON.stringify({ output: r.output, rules: allRules.length, url: ruleDocUrl('x') }));";
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script, NEEDS_FIX], { cwd: app, encoding: 'utf8' }),
    );
    expect(out.output).toBe(FIXED);
    expect(out.rules).toBeGreaterThan(1);
    writeFileSync(
      join(app, 'consumer.ts'),
      [
        "import { rewrite, DockerfileError, type Finding, type RewriteResult } from 'dfrewrite';",
        "const result: RewriteResult = rewrite('FROM debian\\n', { rules: { disable: ['uv-emulated-bytecode'] }, applySuggested: false });",
        'const findings: Finding[] = result.findings;',
        'const line: number | undefined = new DockerfileError("x", 1).line;',
        'export { findings, line };',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', app], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
