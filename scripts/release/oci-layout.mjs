// Reads an OCI image layout folder (what `buildx build --output type=oci,tar=false` writes).
//
//   node scripts/release/oci-layout.mjs check DIR    every blob reachable from index.json is there, whole
//   node scripts/release/oci-layout.mjs digest DIR   the digest of the image index it holds
//   node scripts/release/oci-layout.mjs sizes DIR    per platform: manifest and config digests, layers, bytes (JSON)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** The bytes of a blob, after checking its size and digest against the descriptor that names it. */
function blob(dir, descriptor) {
  const [algorithm, hex] = descriptor.digest.split(':');
  const bytes = readFileSync(join(dir, 'blobs', algorithm, hex));
  const actual = createHash(algorithm).update(bytes).digest('hex');
  if (actual !== hex || bytes.length !== descriptor.size) {
    throw new Error(`${descriptor.digest}: blob has ${bytes.length} bytes and digest ${algorithm}:${actual}`);
  }
  return bytes;
}

/** The layout's one top-level image index descriptor. */
function top(dir) {
  const manifests = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests;
  if (manifests.length !== 1 || !INDEX_TYPES.has(manifests[0].mediaType)) {
    throw new Error(`${dir}/index.json: expected one image index, got ${JSON.stringify(manifests)}`);
  }
  return manifests[0];
}

/** Platform images of the index: [{ platform, descriptor, manifest }]. */
function images(dir) {
  const index = JSON.parse(blob(dir, top(dir)).toString('utf8'));
  return index.manifests.map((descriptor) => ({
    platform: `${descriptor.platform.os}/${descriptor.platform.architecture}`,
    descriptor,
    manifest: JSON.parse(blob(dir, descriptor).toString('utf8')),
  }));
}

const [command, dir] = process.argv.slice(2);
if (command === 'check') {
  let count = 1;
  for (const { manifest } of images(dir)) {
    for (const d of [manifest.config, ...manifest.layers]) blob(dir, d);
    count += 2 + manifest.layers.length;
  }
  console.log(`oci-layout: ${dir}: all ${count} blobs present and whole`);
} else if (command === 'digest') {
  console.log(top(dir).digest);
} else if (command === 'sizes') {
  const sizes = images(dir).map(({ platform, descriptor, manifest }) => ({
    platform,
    manifest: descriptor.digest,
    config: manifest.config.digest,
    layers: manifest.layers.length,
    bytes: [manifest.config, ...manifest.layers].reduce((sum, d) => sum + d.size, descriptor.size),
  }));
  console.log(JSON.stringify(sizes));
} else {
  console.error('usage: oci-layout.mjs check|digest|sizes DIR');
  process.exit(2);
}
