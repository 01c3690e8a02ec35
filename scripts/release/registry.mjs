// A throw-away registry for the release rehearsal (test/e2e/release.test.ts) and the bench: Debian's
// docker-registry (Distribution 2.8; scripts/release/tools.sh installs it) on 127.0.0.1, storing
// under a folder, with its access log (every GET of a blob is a line), stopped by its PID.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (closed again at once, for the registry to take). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** docker-registry on 127.0.0.1, storing under `dir`, until stop() (by its PID). */
export async function startRegistry(dir) {
  const port = await freePort();
  const config = join(dir, 'registry.yml');
  const log = join(dir, 'registry.log');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: info, accesslog: {disabled: false}}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
      '',
    ].join('\n'),
  );
  const child = spawn('sh', ['-c', 'exec docker-registry serve "$0" > "$1" 2>&1', config, log], { stdio: 'ignore' });
  const pid = child.pid;
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const answered = await fetch(`http://${host}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return { host, log, stop: () => pid && process.kill(pid, 'SIGTERM') };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  if (pid) process.kill(pid, 'SIGTERM');
  throw new Error(`docker-registry did not start on ${host}; see ${log}`);
}

/** The registry's access-log lines for blob GETs: repository, digest, status and bytes sent. */
export function blobGets(logText) {
  return [...logText.matchAll(/"GET \/v2\/(\S+)\/blobs\/(sha256:[0-9a-f]{64}) HTTP\/[\d.]+" (\d{3}) (\d+)/g)].map(
    ([, repository, digest, status, bytes]) => ({ repository, digest, status: Number(status), bytes: Number(bytes) }),
  );
}
