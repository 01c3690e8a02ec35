import { expect, test, vi } from 'vitest';
import { DockerfileError } from '../../src/core/errors.js';
import { decodeDefinition, fakeDaemonPerTest, optionEnv, runInProcess } from './fake-daemon.js';

// Which inputs the engine refuses is the engine's business; here it refuses everything.
vi.mock('../../src/core/rewrite.js', () => ({
  rewrite: () => {
    throw new DockerfileError('unterminated heredoc <<EOF', 2);
  },
}));

const { start } = fakeDaemonPerTest();

test('input the engine refuses: the original file goes on, with the reason in the vertex name', async () => {
  const refused = 'FROM debian:12\nRUN <<EOF\necho never closed\n';
  const dockerignore = 'secrets\n';
  const daemon = await start({
    caps: ['gateway.warnings'],
    trees: { 'local://dockerfile': { Dockerfile: refused, 'Dockerfile.dockerignore': dockerignore } },
  });
  const { exitCode, log } = await runInProcess(daemon, optionEnv({}));
  expect(exitCode).toBe(0);

  const [request] = daemon.record.upstream;
  const { ops, metadata } = decodeDefinition(request.FrontendInputs.dockerfile);
  const files = Object.fromEntries(
    ops[0].file.actions.map((a: any) => [a.mkfile.path, Buffer.from(a.mkfile.data).toString()]),
  );
  expect(files).toEqual({ '/Dockerfile': refused, '/Dockerfile.dockerignore': dockerignore });
  const name = metadata[ops[1].inputs[0].digest].description['llb.customname'];
  expect(name).toBe('[dfrewrite] not rewritten: line 2: unterminated heredoc <<EOF');
  expect(log).toContain('Dockerfile: not rewritten: line 2: unterminated heredoc <<EOF');
  expect(daemon.record.warnings).toEqual([]);
  expect(daemon.record.returns).toHaveLength(1);
});
