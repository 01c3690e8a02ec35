// The frontend image's SBOM, SPDX 2.3 JSON on stdout: what the image runs, from our own records.
//
//   node scripts/release/sbom.mjs --image REPO@sha256:INDEX --version X.Y.Z
//        --native COMPONENTS.json... [--lock package-lock.json] [--metafile dist/bundles.meta.json]
//
// - every npm package in the frontend bundle: the bundle's inputs from esbuild's metafile (written
//   by scripts/build.mjs), with version, declared licence and integrity from package-lock.json;
// - the JavaScript runtime and what is linked with it (--native, once per platform:
//   build/native/<arch>/components.json from native/build.sh): quickjs-ng, and glibc and libgcc,
//   linked statically into the binary (the image holds nothing else).
// SOURCE_DATE_EPOCH sets the creation time, so the same inputs give the same document.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    image: { type: 'string' },
    version: { type: 'string' },
    native: { type: 'string', multiple: true },
    lock: { type: 'string', default: 'package-lock.json' },
    metafile: { type: 'string', default: 'dist/bundles.meta.json' },
  },
});
if (!opts.image?.includes('@sha256:') || !opts.version || !opts.native) {
  console.error(
    'usage: sbom.mjs --image REPO@sha256:INDEX --version X.Y.Z --native COMPONENTS.json... [--lock F] [--metafile F]',
  );
  process.exit(2);
}
/** The frontend bundle compiled into the binary. */
const BUNDLE = 'dist/embedded/frontend.js';

const lock = JSON.parse(readFileSync(opts.lock, 'utf8')).packages;
const metafile = JSON.parse(readFileSync(opts.metafile, 'utf8'));
const bundleInputs = metafile.outputs[BUNDLE]?.inputs;
if (!bundleInputs) throw new Error(`${opts.metafile} has no output ${BUNDLE}`);

/** package-lock.json keys of the packages the bundle's inputs come from (nested installs included). */
const bundled = new Set();
for (const input of Object.keys(bundleInputs)) {
  const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
  if (dir) bundled.add(dir);
}

const spdxId = (kind, name) => `SPDXRef-${kind}-${name.replace(/[^A-Za-z0-9.]+/g, '-')}`;
/** npm's integrity (sha512-<base64>) as an SPDX checksum */
const checksum = (integrity) => {
  const [algorithm, base64] = integrity.split('-');
  return { algorithm: algorithm.toUpperCase(), checksumValue: Buffer.from(base64, 'base64').toString('hex') };
};
const purl = (type, name, version) => ({
  referenceCategory: 'PACKAGE-MANAGER',
  referenceType: 'purl',
  referenceLocator: `pkg:${type}/${name}@${version}`,
});

const [repository, indexDigest] = opts.image.split('@');
const imageId = 'SPDXRef-image';
const root = lock[''];
const selfId = spdxId('npm', root.name);
const packages = [
  {
    SPDXID: imageId,
    name: repository.split('/').pop(),
    versionInfo: opts.version,
    downloadLocation: 'NOASSERTION',
    primaryPackagePurpose: 'CONTAINER',
    externalRefs: [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: `pkg:oci/${repository.split('/').pop()}@${encodeURIComponent(indexDigest)}?repository_url=${encodeURIComponent(repository)}`,
      },
    ],
  },
  {
    SPDXID: selfId,
    name: root.name,
    versionInfo: root.version,
    downloadLocation: 'NOASSERTION',
    licenseDeclared: root.license,
    externalRefs: [purl('npm', root.name, root.version)],
  },
];
const relationships = [
  { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
  { spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: selfId },
];

for (const dir of [...bundled].sort()) {
  const entry = lock[dir];
  if (!entry?.version) throw new Error(`${dir} is in the bundle but not in ${opts.lock}`);
  const name = dir.replace(/^.*node_modules\//, '');
  const id = spdxId('npm', dir.replace(/node_modules\//g, ''));
  packages.push({
    SPDXID: id,
    name,
    versionInfo: entry.version,
    downloadLocation: entry.resolved ?? 'NOASSERTION',
    licenseDeclared: entry.license ?? 'NOASSERTION',
    ...(entry.integrity ? { checksums: [checksum(entry.integrity)] } : {}),
    externalRefs: [purl('npm', name, entry.version)],
  });
  relationships.push({ spdxElementId: selfId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
}

addNative(opts.native.map((file) => JSON.parse(readFileSync(file, 'utf8'))));

/** Adds a package (once per name and version) and a relationship from `parent` to it; its SPDX id. */
function add(parent, relationshipType, { kind, name, version, licence, download = 'NOASSERTION', purls }) {
  const id = spdxId(kind, `${name}-${version}`);
  let entry = packages.find((p) => p.SPDXID === id);
  if (!entry) {
    entry = {
      SPDXID: id,
      name,
      versionInfo: version,
      downloadLocation: download,
      licenseDeclared: licence,
      externalRefs: [],
    };
    packages.push(entry);
  }
  // the same version from another platform's Debian package adds that package's reference
  for (const ref of purls.map((p) => purl(p[0], p[1], p[2])))
    if (!entry.externalRefs.some((r) => r.referenceLocator === ref.referenceLocator)) entry.externalRefs.push(ref);
  if (!relationships.some((r) => r.spdxElementId === parent && r.relatedSpdxElement === id))
    relationships.push({ spdxElementId: parent, relationshipType, relatedSpdxElement: id });
  return id;
}

/** quickjs-ng and what native/build.sh linked statically with it, per platform's components.json. */
function addNative(platforms) {
  for (const c of platforms) {
    const engine = add(imageId, 'CONTAINS', {
      kind: 'runtime',
      name: 'quickjs-ng',
      version: c['quickjs-ng'],
      licence: 'MIT',
      download: 'https://github.com/quickjs-ng/quickjs',
      purls: [
        ['generic', 'quickjs-ng', c['quickjs-ng']],
        ...(c['qjs-src'] ? [['deb', 'debian/qjs-src', c['qjs-src']]] : []),
      ],
    });
    const [libcPackage, libcVersion] = c['libc-package'].split(' ');
    add(engine, 'STATIC_LINK', {
      kind: 'native',
      name: 'glibc',
      version: c.glibc,
      licence: 'LGPL-2.1-or-later',
      download: 'https://www.gnu.org/software/libc/',
      purls: [['generic', 'glibc', c.glibc], ...(libcVersion ? [['deb', `debian/${libcPackage}`, libcVersion]] : [])],
    });
    add(engine, 'STATIC_LINK', {
      kind: 'native',
      name: 'libgcc',
      version: c.libgcc,
      licence: 'GPL-3.0-or-later WITH GCC-exception-3.1',
      download: 'https://gcc.gnu.org/',
      purls: [['generic', 'gcc', c.libgcc]],
    });
  }
}

const created = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const document = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: `${repository}:${opts.version}`,
  documentNamespace: `https://${repository}/spdx/${indexDigest}`,
  creationInfo: { created, creators: ['Tool: dfrewrite scripts/release/sbom.mjs'] },
  packages,
  relationships,
};
console.log(JSON.stringify(document, null, 2));
