// npm run bench, image section (issue 15): our frontend image against BuildKit's Go frontend image
// (docker/dockerfile:1), pushed to a registry on this machine (Debian's docker-registry):
// - compressed size: the layers' sizes in the manifest the registry holds;
// - cold first build: each round pushes a copy of the image that no engine has seen (a file named
//   for the round added to each layer, so every layer digest and the chain of layers are new;
//   containerd keeps content after `image rm`, so removing the image would prove nothing), builds
//   through it, and counts the registry's blob GETs for it in its access log.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { blobGets, startRegistry } from './release/registry.mjs';
import { dockerCli, GO_IMAGE, ourImages, threeStages } from './bench-frontend.mjs';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const hostArch = { x64: 'amd64', arm64: 'arm64' }[process.arch];

async function ok(response, what) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** The image manifest of `ref` (tag or digest) for this machine's platform, and its raw bytes. */
async function manifestOf(host, repository, ref) {
  const url = `http://${host}/v2/${repository}/manifests/${ref}`;
  const response = await ok(await fetch(url, { headers: { accept: MANIFEST_TYPES.join(', ') } }), url);
  const bytes = Buffer.from(await response.arrayBuffer());
  const manifest = JSON.parse(bytes.toString('utf8'));
  if (!manifest.manifests) return { manifest, bytes };
  const own = manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === hostArch);
  if (!own) throw new Error(`${repository}:${ref} has no linux/${hostArch} manifest`);
  return manifestOf(host, repository, own.digest);
}

const blob = async (host, repository, digest) =>
  Buffer.from(await (await ok(await fetch(`http://${host}/v2/${repository}/blobs/${digest}`), digest)).arrayBuffer());

async function putBlob(host, repository, bytes) {
  const digest = sha256(bytes);
  const start = await ok(await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' }), 'upload');
  const url = new URL(start.headers.get('location'), `http://${host}`);
  url.searchParams.set('digest', digest);
  await ok(
    await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
    digest,
  );
  return { digest, size: bytes.length };
}

/** A tar archive with one more regular file, `name`, before its end-of-archive blocks. */
function withFile(tar, name, text) {
  let offset = 0;
  while (offset + 512 <= tar.length && tar.subarray(offset, offset + 512).some((b) => b !== 0)) {
    const field = tar.subarray(offset + 124, offset + 136);
    const size = field[0] & 0x80 ? Number(field.readBigUInt64BE(4)) : parseInt(field.toString('latin1'), 8) || 0;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  const body = Buffer.from(text);
  const header = Buffer.alloc(512);
  const put = (value, at, length) => header.write(value, at, length, 'latin1');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0' + '00', 257, 8);
  put(
    `${header
      .reduce((sum, b) => sum + b, 0)
      .toString(8)
      .padStart(6, '0')}\0 `,
    148,
    8,
  );
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([tar.subarray(0, offset), header, padded, Buffer.alloc(1024)]);
}

/** Pushes a copy of repository:tag no engine has seen (see the top): its reference by digest and layers. */
async function unseenCopy(host, repository, tag, unique) {
  const { manifest } = await manifestOf(host, repository, tag);
  const config = JSON.parse((await blob(host, repository, manifest.config.digest)).toString('utf8'));
  const copy = `cold-${unique}`;
  const layers = [];
  for (const [i, layer] of manifest.layers.entries()) {
    const tar = withFile(
      gunzipSync(await blob(host, repository, layer.digest)),
      `.dfrewrite-bench-${unique}-${i}`,
      unique,
    );
    config.rootfs.diff_ids[i] = sha256(tar);
    layers.push({ ...layer, ...(await putBlob(host, copy, gzipSync(tar))) });
  }
  const newConfig = await putBlob(host, copy, Buffer.from(JSON.stringify(config)));
  const bytes = Buffer.from(JSON.stringify({ ...manifest, config: { ...manifest.config, ...newConfig }, layers }));
  const url = `http://${host}/v2/${copy}/manifests/${unique}`;
  await ok(
    await fetch(url, {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': manifest.mediaType ?? MANIFEST_TYPES[2] },
    }),
    url,
  );
  return { ref: `${host}/${copy}@${sha256(bytes)}`, repository: copy, layers };
}

export async function imageSizesAndColdBuilds({ section, median, time, tempDir }) {
  section('Frontend image: compressed size in a registry, and a cold first build (issue 15)');
  if (!process.env.DOCKER_HOST) return console.log('skipped: no DOCKER_HOST (start an engine as in docs/testing.md)');
  if (!existsSync('/usr/bin/docker-registry'))
    return console.log('skipped: no docker-registry (scripts/release/tools.sh)');
  const docker = dockerCli();
  const must = (args) => {
    const r = docker(args);
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const images = [
    ...(docker(['image', 'inspect', GO_IMAGE]).status === 0 ? [{ name: GO_IMAGE, image: GO_IMAGE }] : []),
    ...ourImages(),
  ];
  const dir = tempDir();
  const registry = await startRegistry(dir);
  try {
    for (const [i, entry] of images.entries()) {
      entry.repository = `image-${i}`;
      const pushed = `${registry.host}/${entry.repository}:bench`;
      must(['tag', entry.image, pushed]);
      must(['push', '-q', pushed]);
      must(['image', 'rm', pushed]); // the tag only: the image stays under its own name
      const { manifest } = await manifestOf(registry.host, entry.repository, 'bench');
      entry.size = manifest.layers.reduce((sum, l) => sum + l.size, 0);
      console.log(
        `${entry.name.padEnd(22)} ${mb(entry.size)} compressed, ${manifest.layers.length} layer(s) (${entry.image})`,
      );
    }
    const go = images.find((e) => e.name === GO_IMAGE);
    for (const entry of images.filter((e) => e !== go))
      console.log(
        `ratio ${entry.name} / ${GO_IMAGE}: ${go ? (entry.size / go.size).toFixed(2) : '?'}x (target <= 1.0x; goal <= 3 MB)`,
      );

    const rounds = Number(process.env.BENCH_COLD_BUILDS ?? 3);
    if (rounds < 1) return;
    const runs = new Map(images.map((e) => [e, []]));
    for (let round = 0; round < rounds; round++) {
      for (const entry of images) {
        const unique = `${Date.now().toString(36)}-${round}`;
        const copy = await unseenCopy(registry.host, entry.repository, 'bench', unique);
        const file = join(dir, 'cold.Dockerfile');
        writeFileSync(file, threeStages(copy.ref));
        const before = readFileSync(registry.log).length;
        const ms = time(() => must(['build', '--network=none', '-q', '-f', file, dir]));
        const gets = blobGets(readFileSync(registry.log).subarray(before).toString('utf8')).filter(
          (g) => g.repository === copy.repository && g.status === 200,
        );
        const fetched = copy.layers.filter((l) => gets.some((g) => g.digest === l.digest)).length;
        runs.get(entry).push({
          ms,
          gets: gets.length,
          bytes: gets.reduce((s, g) => s + g.bytes, 0),
          fetched,
          layers: copy.layers.length,
        });
      }
    }
    console.log(`cold first build (${rounds} alternating rounds, medians; each round a copy no engine has seen):`);
    for (const entry of images) {
      const r = runs.get(entry);
      const all = r.every((x) => x.fetched === x.layers);
      console.log(
        `${entry.name.padEnd(22)} ${`${median(r.map((x) => x.ms)).toFixed(0)} ms`.padStart(8)}; registry log: ${median(r.map((x) => x.gets))} blob GETs (layers and config), ${mb(median(r.map((x) => x.bytes)))}; layers fetched: ${all ? 'all, every round' : r.map((x) => `${x.fetched}/${x.layers}`).join(' ')}`,
      );
    }
    const goRuns = go && runs.get(go);
    for (const entry of images.filter((e) => e !== go && goRuns))
      console.log(
        `ratio ${entry.name} / ${GO_IMAGE}, cold: ${(median(runs.get(entry).map((x) => x.ms)) / median(goRuns.map((x) => x.ms))).toFixed(2)}x`,
      );
  } finally {
    registry.stop();
    forgetPulled(docker, registry.host);
  }
}

/** Removes the build-cache records of the frontend images pulled from the bench's registry. */
function forgetPulled(docker, host) {
  const du = docker(['buildx', 'du', '--format', '{{.ID}}\t{{.Description}}']);
  if (du.status !== 0) return console.log(`(build-cache records of ${host} not removed: ${du.stderr.trim()})`);
  for (const [id, what] of du.stdout.split('\n').map((l) => l.split('\t')))
    if (id && what?.startsWith(`pulled from ${host}/`))
      docker(['buildx', 'prune', '-f', '--all', '--filter', `id=${id}`]);
}
