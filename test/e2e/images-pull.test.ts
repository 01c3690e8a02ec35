// scripts/e2e/images-pull.sh without a registry at hand: a stand-in docker CLI answers `manifest
// inspect` with a two-platform index and records what the script pulls, tags and pushes. (The real
// pulls need Docker Hub, which the machine this project is developed on cannot reach: CI does them.)
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'e2e', 'images-pull.sh');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Index digests by platform, as a stand-in registry would hold them ($ARM64 empty: no arm64 image). */
const DOCKER = `#!/bin/sh
echo "docker $*" >> "$STATE/calls"
case $1 in
  manifest)
    arm=""
    [ -z "$ARM64" ] || arm=',{"digest":"'$ARM64'","platform":{"architecture":"arm64","os":"linux","variant":"v8"}}'
    echo '{"schemaVersion":2,"manifests":[{"digest":"${digest('a')}","platform":{"architecture":"amd64","os":"linux"}},{"digest":"${digest('0')}","platform":{"architecture":"unknown","os":"unknown"}}'"$arm"']}' ;;
  run)
    # docker run --rm --network=none --platform linux/ARCH IMAGE CMD...
    case "$5 $7" in
      "linux/amd64 uname") echo x86_64 ;; "linux/arm64 uname") echo aarch64 ;;
    esac ;;
esac
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>) {
  const state = mkdtempSync(join(tmpdir(), 'dfrewrite-images-pull-'));
  dirs.push(state);
  writeFileSync(join(state, 'docker'), DOCKER);
  chmodSync(join(state, 'docker'), 0o755);
  writeFileSync(join(state, 'calls'), '');
  const result = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, STATE: state, DFREWRITE_E2E_DOCKER: join(state, 'docker'), ...env },
  });
  const calls = readFileSync(join(state, 'calls'), 'utf8').trim().split('\n');
  return { code: result.status, stderr: result.stderr, calls };
}

describe('images-pull.sh', () => {
  it('pulls each platform by its digest from the pinned index and tags it as the tests expect', () => {
    const { code, calls, stderr } = run({ ARM64: digest('b'), DFREWRITE_E2E_REGISTRY: '' });
    expect(code, stderr).toBe(0);
    const changes = calls.filter((c) => /^docker (pull|tag|push)/.test(c));
    expect(changes).toEqual([
      `docker pull -q --platform linux/amd64 docker.io/library/busybox@${digest('a')}`,
      `docker tag docker.io/library/busybox@${digest('a')} local/busybox-amd64`,
      `docker pull -q --platform linux/arm64 docker.io/library/busybox@${digest('b')}`,
      `docker tag docker.io/library/busybox@${digest('b')} local/busybox-arm64`,
      `docker pull -q --platform linux/amd64 docker.io/docker/dockerfile@${digest('a')}`,
      `docker tag docker.io/docker/dockerfile@${digest('a')} docker/dockerfile:1`,
    ]);
    // the index is named by a pinned digest, never by a tag
    for (const c of calls.filter((c) => c.startsWith('docker manifest'))) {
      expect(c).toMatch(
        /^docker manifest inspect docker\.io\/(library\/busybox|docker\/dockerfile)@sha256:[0-9a-f]{64}$/,
      );
    }
    expect(stderr).toContain('images-pull: ok: local/busybox-amd64 local/busybox-arm64');
  });

  it('with DFREWRITE_E2E_REGISTRY, also pushes each image under the registry’s name', () => {
    const { code, calls } = run({ ARM64: digest('b'), DFREWRITE_E2E_REGISTRY: 'localhost:5000' });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith('docker push'))).toEqual(
      ['busybox-amd64', 'busybox-arm64'].map((name) => `docker push -q localhost:5000/${name}`),
    );
    expect(calls).toContain(`docker tag docker.io/library/busybox@${digest('b')} localhost:5000/busybox-arm64`);
  });

  it('fails when the index has no image for a platform', () => {
    const { code, stderr } = run({ ARM64: '', DFREWRITE_E2E_REGISTRY: '' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('no linux/arm64 image in the index');
  });
});
