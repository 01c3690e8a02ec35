// Issue 3, test 3: what a build passes to the frontend reaches the upstream Dockerfile frontend:
// -f in a subfolder with its own .dockerignore, --target, --build-arg; the image config matches.
import { afterAll, expect } from 'vitest';
import {
  build,
  cleanup,
  context,
  e2eTest,
  expectBuild,
  FIXED,
  frontendImage,
  inspect,
  runIn,
  type BuildOptions,
  type Frontend,
} from './harness.js';

afterAll(cleanup);

const FILE = 'sub/dir/Name.Dockerfile';
const OPTIONS: BuildOptions = { file: FILE, target: 'app', buildArgs: { GREETING: 'bonjour' }, image: true };
const layout = async (frontend: Frontend) => {
  const run = await build(context('layout', frontend, FILE), OPTIONS);
  expectBuild(run, true);
  return run;
};

e2eTest(
  '-f sub/dir/Name.Dockerfile with Name.Dockerfile.dockerignore, --target and --build-arg',
  async () => {
    const builtin = await layout(null);
    const ours = await layout(await frontendImage());
    expect(ours.output).toMatch(FIXED); // the uv step was rewritten, and the rest still reached upstream
    const [expected, actual] = await Promise.all([inspect(builtin.tag), inspect(ours.tag)]);
    expect(actual.config).toEqual(expected.config);
    expect(actual.config.Env).toContain('GREETING=bonjour');
    expect(actual.config.Cmd).toEqual(['sh', '-c', 'echo $GREETING from $MODE']);
    // the stage after the target was not built: its RUN would have failed
    expect(ours.output).not.toMatch(/after --target/);
    // Name.Dockerfile.dockerignore, not the root .dockerignore, filtered the context
    const files = await runIn(ours.tag, 'cat', '/srv/app/context.txt');
    expect(files).toBe(await runIn(builtin.tag, 'cat', '/srv/app/context.txt'));
    expect(files).toContain('ctx/root-ignored.txt');
    expect(files).not.toContain('secret.txt');
  },
  { frontend: true },
);
