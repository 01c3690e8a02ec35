// scripts/release/sbom.mjs: the SBOM lists what the bundle's metafile says went into the frontend,
// with versions and licences from the lockfile, and the runtime with its statically linked parts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-sbom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IMAGE = 'ghcr.io/example/dfrewrite@sha256:' + 'ab'.repeat(32);
const lock = {
  packages: {
    '': { name: 'dfrewrite', version: '1.2.3', license: 'MIT' },
    'node_modules/left': {
      version: '1.0.0',
      license: 'ISC',
      integrity: 'sha512-' + Buffer.from('x').toString('base64'),
    },
    'node_modules/@scope/right': { version: '2.0.0', license: 'Apache-2.0' },
    'node_modules/left/node_modules/nested': { version: '0.1.0', license: 'MIT' },
    'node_modules/dev-only': { version: '9.9.9', license: 'MIT', dev: true },
  },
};
const inputs = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, { bytesInOutput: 1 }]));
const metafile = (paths: string[]) => ({
  outputs: {
    'dist/embedded/frontend.js': { inputs: inputs(...paths) },
    'dist/index.js': { inputs: inputs('node_modules/dev-only/index.js') },
  },
});

interface Sbom {
  creationInfo: { created: string };
  packages: {
    SPDXID: string;
    name: string;
    versionInfo: string;
    licenseDeclared?: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceLocator: string }[];
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

/** native/build.sh's record of what each platform's binary links in */
const components = {
  amd64: {
    'quickjs-ng': '0.17.0',
    'qjs-src': '0.17.0-1',
    glibc: '2.36',
    'libc-package': 'libc6-dev 2.36-9+deb12u14',
    libgcc: '12.2.0',
  },
  arm64: {
    'quickjs-ng': '0.17.0',
    'qjs-src': '0.17.0-1',
    glibc: '2.36',
    'libc-package': 'libc6-dev-arm64-cross 2.36-8cross1',
    libgcc: '12.2.0',
  },
};

/** The image's SBOM, for a bundle made of `paths`. */
function sbom(paths: string[]): { status: number | null; stderr: string; doc?: Sbom } {
  writeFileSync(join(dir, 'lock.json'), JSON.stringify(lock));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(metafile(paths)));
  const nativeArgs = Object.entries(components).flatMap(([arch, c]) => {
    writeFileSync(join(dir, `${arch}.json`), JSON.stringify(c));
    return ['--native', join(dir, `${arch}.json`)];
  });
  const args = ['scripts/release/sbom.mjs', '--image', IMAGE, '--version', '1.2.3', ...nativeArgs];
  const run = spawnSync('node', [...args, '--lock', join(dir, 'lock.json'), '--metafile', join(dir, 'meta.json')], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
  });
  return {
    status: run.status,
    stderr: run.stderr,
    doc: run.status === 0 ? (JSON.parse(run.stdout) as Sbom) : undefined,
  };
}

describe('sbom.mjs', () => {
  const bundled = [
    'src/frontend/embedded/main.ts',
    'node_modules/left/index.js',
    'node_modules/@scope/right/lib/a.js',
    'node_modules/left/node_modules/nested/x.js',
  ];

  it('lists exactly the bundled npm packages, with lockfile versions and licences', () => {
    const { doc } = sbom(bundled);
    const npm = doc!.packages
      .filter((p) => p.SPDXID.startsWith('SPDXRef-npm-'))
      .map((p) => `${p.name}@${p.versionInfo} ${p.licenseDeclared ?? ''}`);
    expect(npm).toEqual(['dfrewrite@1.2.3 MIT', '@scope/right@2.0.0 Apache-2.0', 'left@1.0.0 ISC', 'nested@0.1.0 MIT']);
    const left = doc!.packages.find((p) => p.name === 'left')!;
    expect(left.checksums).toEqual([{ algorithm: 'SHA512', checksumValue: Buffer.from('x').toString('hex') }]);
  });

  it('quickjs-ng, and the glibc and libgcc linked into the binary', () => {
    const { doc } = sbom(bundled);
    expect(doc!.creationInfo.created).toBe('2023-11-14T22:13:20Z');
    const byName = Object.fromEntries(doc!.packages.map((p) => [p.name, p]));
    expect(byName['quickjs-ng']).toMatchObject({ versionInfo: '0.17.0', licenseDeclared: 'MIT' });
    expect(byName.glibc).toMatchObject({ versionInfo: '2.36', licenseDeclared: 'LGPL-2.1-or-later' });
    expect(byName.libgcc).toMatchObject({ versionInfo: '12.2.0' });
    // one entry for both platforms, naming each platform's Debian package
    expect(doc!.packages.filter((p) => p.name === 'glibc')).toHaveLength(1);
    expect(byName.glibc!.externalRefs!.map((r) => r.referenceLocator)).toEqual([
      'pkg:generic/glibc@2.36',
      'pkg:deb/debian/libc6-dev@2.36-9+deb12u14',
      'pkg:deb/debian/libc6-dev-arm64-cross@2.36-8cross1',
    ]);
    const from = (name: string) => doc!.relationships.filter((r) => r.relatedSpdxElement === byName[name]!.SPDXID);
    expect(from('quickjs-ng')).toEqual([expect.objectContaining({ spdxElementId: 'SPDXRef-image' })]);
    expect(from('glibc')).toEqual([
      expect.objectContaining({ spdxElementId: byName['quickjs-ng']!.SPDXID, relationshipType: 'STATIC_LINK' }),
    ]);
  });

  it('refuses a bundled package the lockfile does not know', () => {
    const run = sbom([...bundled, 'node_modules/unknown/index.js']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('node_modules/unknown is in the bundle but not in');
  });
});
