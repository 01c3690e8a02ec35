// Issue 16: the release path, as .github/workflows/release.yml runs it but with a local cosign key
// pair and a throw-away registry. In one file, one test after another: the builds share blobs.
// 1. Reproducible: two builds of the index (scripts/release/build-index.sh), from a clean state each
//    (--no-cache, and the first build's cache records removed before the second), give one digest.
// 2. Published: push it under three tags, sign it, attach SBOM and provenance (publish.sh); then,
//    with nothing of it left in the engine, verify it, read the attestations, build through it by
//    digest, and check that a re-pushed tag or another key's signature is caught.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, type TestContext } from 'vitest';
import { build, cleanup, context, e2eTest, expectBuild, FIXED, type Frontend } from './harness.js';
import {
  buildIndex,
  cacheRecords,
  KEEP,
  nativeBinaries,
  OFFLINE_ARGS,
  ok,
  pruneRecordsSince,
  type Registry,
  releaseUnsupported,
  run,
  startRegistry,
  tool,
  toolsMissing,
  workDir,
} from './release-harness.js';

const VERSION = '0.1.0';
const TAGS = ['0.1.0', '0.1', '0'];
const [FULL_TAG] = TAGS as [string, ...string[]];

interface Release {
  registry: Registry;
  dir: { host: string; inside: string };
  repo: string;
  digest: string;
  /** per platform: the image manifest digest inside the index */
  manifests: Record<string, string>;
  /** per platform: its config digest */
  configs: Record<string, string>;
}

let registry: Registry | undefined;
let components: Promise<string[]> | undefined;
let records: Set<string> | undefined;
let released: Promise<Release> | undefined;

afterAll(async () => {
  registry?.stop(); // by its PID; its log stays, for reading
  if (registry) console.log(`release: registry log kept at ${registry.log}`);
  if (records) await pruneRecordsSince(records);
  if (released) rmSync(join((await released).dir.host, 'data'), { recursive: true, force: true });
  await cleanup();
}, 120_000);

e2eTest(
  'two clean builds of the frontend index give one digest',
  async (ctx) => {
    const unsupported = releaseUnsupported();
    if (unsupported) return ctx.skip(unsupported);
    await (components ??= nativeBinaries());
    const dir = mkdtempSync(join(KEEP, 'reproducible-'));
    const before = await cacheRecords();
    // the commit's time, read once: a commit made while the test runs must not change the second build
    const commitTime = Number((await ok(run('git', ['log', '-1', '--format=%ct']))).trim());
    const first = await buildIndex(join(dir, 'first'), ['--no-cache', ...OFFLINE_ARGS], commitTime);
    const removed = await pruneRecordsSince(before);
    expect(removed).toBeGreaterThan(0); // otherwise the second build could reuse the first's work
    const second = await buildIndex(join(dir, 'second'), ['--no-cache', ...OFFLINE_ARGS], commitTime);
    await pruneRecordsSince(before);

    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second).toBe(first);
    // the same bytes, not only the same top-level digest
    const sizes = await ok(run('node', ['scripts/release/oci-layout.mjs', 'sizes', join(dir, 'second')]));
    expect(await ok(run('node', ['scripts/release/oci-layout.mjs', 'sizes', join(dir, 'first')]))).toBe(sizes);
    const platforms = (JSON.parse(sizes) as { platform: string }[]).map((p) => p.platform);
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64']);
    console.log(`release: index ${first}, ${removed} cache records removed between builds; ${sizes}`);
    rmSync(dir, { recursive: true, force: true });
  },
  { frontend: true, timeoutS: 600 },
);

/** Skips (or, for missing tools with DFREWRITE_E2E=required, fails) where the release cannot run. */
function needRelease(ctx: TestContext): void {
  const unsupported = releaseUnsupported();
  if (unsupported) ctx.skip(unsupported);
  const missing = toolsMissing();
  if (missing && process.env.DFREWRITE_E2E === 'required') throw new Error(`DFREWRITE_E2E=required, but ${missing}`);
  if (missing) ctx.skip(missing);
}

/** Builds, publishes and signs once for all tests here; then removes what the engine kept of it. */
function release(): Promise<Release> {
  released ??= (async () => {
    const dir = workDir('registry');
    registry = await startRegistry(dir.host);
    const repo = `${registry.host}/dfrewrite`;
    const native = await (components ??= nativeBinaries());
    records = await cacheRecords();
    // an image of its own (this run's time, not the commit's): the engine has never seen its digest
    const epoch = Math.floor(Date.now() / 1000);
    const digest = await buildIndex(join(dir.host, 'layout'), ['--no-cache', ...OFFLINE_ARGS], epoch);
    const sizes = JSON.parse(
      await ok(run('node', ['scripts/release/oci-layout.mjs', 'sizes', join(dir.host, 'layout')])),
    ) as { platform: string; manifest: string; config: string }[];
    console.log(`release: index ${digest}: ${JSON.stringify(sizes)}`);

    const env = { SOURCE_DATE_EPOCH: String(epoch) };
    const image = `${repo}@${digest}`;
    const sbomArgs = ['--image', image, '--version', VERSION, ...native.flatMap((file) => ['--native', file])];
    const sbom = await ok(run('node', ['scripts/release/sbom.mjs', ...sbomArgs], { env }));
    writeFileSync(join(dir.host, 'sbom.spdx.json'), sbom);
    const head = (await ok(run('git', ['rev-parse', 'HEAD']))).trim();
    const builder = 'test/e2e/release.test.ts';
    const provenance = await ok(
      run('node', ['scripts/release/provenance.mjs', '--subject', image, '--commit', head, '--builder', builder], {
        env,
      }),
    );
    writeFileSync(join(dir.host, 'provenance.json'), provenance);

    copyFileSync('scripts/release/publish.sh', join(dir.host, 'publish.sh'));
    await ok(tool(dir.inside, 'cosign', 'generate-key-pair'));
    await ok(tool(dir.inside, 'sh', '-c', 'mkdir other && cd other && cosign generate-key-pair'));
    const publish = ['publish.sh', '--layout', 'layout', '--digest', digest, '--repo', repo];
    const rest = ['--sbom', 'sbom.spdx.json', '--provenance', 'provenance.json', '--key', 'cosign.key', '--insecure'];
    await ok(tool(dir.inside, 'bash', ...publish, ...TAGS.flatMap((t) => ['--tag', t]), ...rest));

    // nothing of the image left in the engine: it was exported, never loaded; its build's history
    // record (buildIndex) and cache records go (the registry's log shows the layer fetched)
    rmSync(join(dir.host, 'layout'), { recursive: true, force: true });
    await pruneRecordsSince(records);
    const manifests = Object.fromEntries(sizes.map((s) => [s.platform, s.manifest]));
    const configs = Object.fromEntries(sizes.map((s) => [s.platform, s.config]));
    return { registry, dir, repo, digest, manifests, configs };
  })();
  return released;
}

/** The registry's access-log lines written while `fn` ran. */
async function requestsDuring(fn: () => Promise<void>): Promise<string[]> {
  const { registry } = await release();
  const start = readFileSync(registry.log, 'utf8').length;
  await fn();
  return readFileSync(registry.log, 'utf8')
    .slice(start)
    .split('\n')
    .filter((l) => /"(GET|HEAD) \/v2\//.test(l));
}

const cosign = async (...args: string[]) =>
  tool((await release()).dir.inside, 'cosign', ...args, '--insecure-ignore-tlog=true', '--allow-http-registry');

/** The in-toto statement of the attestation of `type` that verifies with cosign.pub. */
async function attestation(type: string): Promise<{ subject: { digest: { sha256: string } }[]; predicate: unknown }> {
  const { repo, digest } = await release();
  const out = await ok(cosign('verify-attestation', '--key', 'cosign.pub', '--type', type, `${repo}@${digest}`));
  const envelope = JSON.parse(out.trim().split('\n')[0]!) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

/** The apt-lock fixture through `frontend` (a syntax line) or through BUILDKIT_SYNTAX. */
async function aptBuild(frontend: string, how: 'syntax' | 'build-arg') {
  const syntax: Frontend = how === 'syntax' ? frontend : null;
  const buildArgs = how === 'build-arg' ? { BUILDKIT_SYNTAX: frontend } : undefined;
  return build(context('apt-lock', syntax), { noCache: true, ...(buildArgs ? { buildArgs } : {}) });
}

e2eTest(
  'the index is pushed under X.Y.Z, X.Y and X, signed, with its SBOM and provenance attached',
  async (ctx) => {
    needRelease(ctx);
    const { repo, digest, dir } = await release();
    for (const tag of TAGS)
      expect((await ok(tool(dir.inside, 'crane', 'digest', '--insecure', `${repo}:${tag}`))).trim()).toBe(digest);
    const tags = (await ok(tool(dir.inside, 'crane', 'ls', '--insecure', repo))).split('\n');
    // cosign keeps signature and attestations under the digest's fallback tag (no referrers API in 2.8)
    expect(tags).toContain(`sha256-${digest.slice(7)}`);
  },
  { frontend: true, timeoutS: 600 },
);

e2eTest(
  'cosign verify --key succeeds; the SBOM and the provenance can be fetched and read',
  async (ctx) => {
    needRelease(ctx);
    const { repo, digest } = await release();
    const verified = await cosign('verify', '--key', 'cosign.pub', `${repo}@${digest}`);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toContain('The signatures were verified against the specified public key');
    expect(verified.stdout).toContain(`"docker-manifest-digest":"${digest}"`);

    const sbom = await attestation('spdxjson');
    expect(sbom.subject[0]!.digest.sha256).toBe(digest.slice(7));
    const packages = (sbom.predicate as { packages: { name: string; versionInfo: string; licenseDeclared?: string }[] })
      .packages;
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    expect(packages).toContainEqual(
      expect.objectContaining({
        name: 'dockerfile-ast',
        versionInfo: lock.packages['node_modules/dockerfile-ast']!.version,
        licenseDeclared: 'MIT',
      }),
    );
    // the binary is the whole image: the engine, and the C libraries linked into it
    expect(packages).toContainEqual(
      expect.objectContaining({ name: 'quickjs-ng', versionInfo: expect.stringMatching(/^\d+\.\d+\.\d+$/) }),
    );
    expect(packages).toContainEqual(
      expect.objectContaining({ name: 'glibc', versionInfo: expect.stringMatching(/^2\.\d+$/) }),
    );
    expect(packages.map((p) => p.name)).not.toContain('node');

    const provenance = await attestation('slsaprovenance1');
    expect(provenance.subject[0]!.digest.sha256).toBe(digest.slice(7));
    const predicate = provenance.predicate as {
      buildDefinition: { resolvedDependencies: { digest: { gitCommit?: string } }[] };
    };
    expect(predicate.buildDefinition.resolvedDependencies[0]!.digest.gitCommit).toMatch(/^[0-9a-f]{40}$/);
  },
  { frontend: true, timeoutS: 600 },
);

for (const how of ['syntax', 'build-arg'] as const) {
  e2eTest(
    `a build with ${how === 'syntax' ? '# syntax=' : 'BUILDKIT_SYNTAX='}REGISTRY/dfrewrite@sha256:INDEX pulls it by digest, not the arm64 half, and fixes the apt build`,
    async (ctx) => {
      needRelease(ctx);
      const { repo, digest, manifests, configs } = await release();
      let result: Awaited<ReturnType<typeof aptBuild>> | undefined;
      const requests = await requestsDuring(async () => {
        result = await aptBuild(`${repo}@${digest}`, how);
      });
      expectBuild(result!, true);
      expect(result!.output).toMatch(FIXED);
      expect(result!.output).toMatch(/stand-in apt-get: .*install build-essential/);
      expect(result!.output).toMatch(/stand-in apt-get: .*install vim/);
      if (how === 'syntax') {
        // this run's image (a digest of its own) resolved by digest, its layer fetched, and never the
        // other platform's manifest. BuildKit 0.25 on Docker 28.5 sends HEAD for the index and does
        // not GET manifests or configs here, even with the build's history and records gone.
        expect(requests.some((l) => l.includes(`/manifests/${digest}`))).toBe(true);
        expect(requests.some((l) => /"GET \/v2\/dfrewrite\/blobs\/sha256:/.test(l))).toBe(true);
        expect(requests.some((l) => l.includes(`/manifests/${manifests['linux/arm64']!}`))).toBe(false);
        expect(requests.some((l) => l.includes(configs['linux/arm64']!))).toBe(false);
      }
    },
    { frontend: true, timeoutS: 600 },
  );
}

e2eTest(
  'tampering: a re-pushed tag fails verification, the digest still builds the original, another key fails',
  async (ctx) => {
    needRelease(ctx);
    const { repo, digest, dir, manifests } = await release();
    // a changed image under the released tag
    await ok(
      tool(
        dir.inside,
        'crane',
        'mutate',
        '--insecure',
        `${repo}@${manifests['linux/amd64']!}`,
        '--label',
        'tampered=yes',
        '-t',
        `${repo}:${FULL_TAG}`,
      ),
    );
    const tampered = (await ok(tool(dir.inside, 'crane', 'digest', '--insecure', `${repo}:${FULL_TAG}`))).trim();
    expect(tampered).not.toBe(digest);

    const byTag = await cosign('verify', '--key', 'cosign.pub', `${repo}:${FULL_TAG}`);
    expect(byTag.code).not.toBe(0);
    expect(byTag.output).toMatch(/no signatures found|no matching (signatures|attestations)/i);
    expect((await cosign('verify', '--key', 'cosign.pub', `${repo}@${digest}`)).code).toBe(0);

    // signed with another key: that key verifies it, ours does not
    await ok(
      tool(
        dir.inside,
        'cosign',
        'sign',
        '--yes',
        '--key',
        'other/cosign.key',
        '--use-signing-config=false',
        '--tlog-upload=false',
        '--allow-http-registry',
        `${repo}@${tampered}`,
      ),
    );
    expect((await cosign('verify', '--key', 'other/cosign.pub', `${repo}@${tampered}`)).code).toBe(0);
    const otherKey = await cosign('verify', '--key', 'cosign.pub', `${repo}@${tampered}`);
    expect(otherKey.code).not.toBe(0);
    expect(otherKey.output).toMatch(/no matching (signatures|attestations)/i);

    // pinned by digest, the build still gets what was released
    const result = await aptBuild(`${repo}@${digest}`, 'syntax');
    expectBuild(result, true);
    expect(result.output).toMatch(FIXED);
  },
  { frontend: true, timeoutS: 600 },
);
