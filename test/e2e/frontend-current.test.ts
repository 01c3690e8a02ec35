// Issue 8: the frontend on current Docker and BuildKit (28.5 / buildx 0.29 / BuildKit 0.25): findings
// as build warnings, `--check`, subrequests on the user's file, zero-edit use with BUILDKIT_SYNTAX,
// `-f -` and `-f` outside the context, not running as root, large files, unknown rule ids.
// On Docker 20.10 (BuildKit 0.8) the same tests check what that engine does instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import {
  cleanup,
  docker,
  e2eTest,
  buildkitAtLeast,
  frontendImage,
  outputDir,
  withBaseImages,
  type Run,
} from './harness.js';

afterAll(cleanup);

/** A builder with BuildKit 0.11+ (warnings, --check, --call); Docker 20.10 has BuildKit 0.8. */
const current = () => buildkitAtLeast(11);

/** Two RUN steps with apt's cache: the first gets sharing=locked; the second says `sharing=shared` (reported, left as written). */
const BODY = withBaseImages(
  [
    'FROM local/busybox-${TARGETARCH}',
    'RUN --mount=type=cache,target=/var/cache/apt echo first',
    'RUN --mount=type=cache,target=/var/cache/apt,sharing=shared echo second',
    '',
  ].join('\n'),
);

/** A build context holding `files`; the folder's path. */
function contextWith(files: Record<string, string>): string {
  const dir = outputDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** `docker [--debug] build --network=none --progress=plain ARGS`, with `stdin` on its standard input. */
function buildx(args: string[], opts: { stdin?: string; debug?: boolean } = {}): Promise<Run> {
  return docker([...(opts.debug ? ['--debug'] : []), 'build', '--network=none', '--progress=plain', ...args], {
    stdin: opts.stdin ?? '',
  });
}

function expectOk(run: Run): void {
  if (run.code !== 0) throw new Error(`build failed (exit ${run.code}):\n${run.output}`);
}

/** The RUN steps as the upstream built them (their names show the rewritten lines). */
const LOCKED_RUN = /RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked echo first/;

e2eTest(
  'findings are build warnings: rule, what was done, its page, and the line of the user’s file',
  async () => {
    const image = await frontendImage();
    const dir = contextWith({ Dockerfile: `# syntax=${image}\n${BODY}` });
    const run = await buildx(['--no-cache', dir], { debug: true });
    expectOk(run);
    expect(run.output).toMatch(LOCKED_RUN);
    const step = /#(\d+) \[dfrewrite\] 1 fix: cache-mount-sharing line 3; 1 not fixed: cache-mount-sharing line 4/.exec(
      run.output,
    );
    expect(step).not.toBeNull();
    if (!current()) {
      // BuildKit 0.8 has no Warn: the step's name is all there is
      expect(run.output).not.toMatch(/WARN:|warnings? found/);
      return;
    }
    // Listed under the step, as BuildKit lists the Dockerfile frontend's own warnings, when the
    // client has seen the step by then: its status stream is not ordered with our Warn calls, and
    // on a loaded machine buildx sometimes drops a warning for a step it does not know yet. The
    // summary at the end always has them.
    const fixed =
      "cache-mount-sharing: cache mount /var/cache/apt is shared by default, and parallel users fail on apt's lock: set sharing=locked (line 3)";
    const reported =
      "cache-mount-sharing: cache mount /var/cache/apt is sharing=shared, so parallel users fail on apt's lock: use sharing=locked (left as written) (line 4)";
    const underStep = run.output.split('\n').filter((line) => / WARN: cache-mount-sharing/.test(line));
    for (const line of underStep)
      expect([`#${step![1]!} WARN: ${fixed}`, `#${step![1]!} WARN: ${reported}`]).toContain(line);
    // and at the end, with --debug: the rule's description, its page, and the user's own lines
    expect(run.output).toMatch(/2 warnings found/);
    expect(run.output).toContain(` - ${fixed}`);
    expect(run.output).toContain(` - ${reported}`);
    const url = 'More info: https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md';
    const expanded = run.output.slice(run.output.indexOf(` - ${fixed}`));
    expect(expanded).toContain(url);
    expect(expanded).toContain('Dockerfile:3\n--------------------\n');
    expect(expanded).toContain('   3 | >>> RUN --mount=type=cache,target=/var/cache/apt echo first\n');
  },
  { frontend: true },
);

e2eTest(
  '--check lists our findings beside BuildKit’s own, and exits 1 for them',
  async () => {
    const image = await frontendImage();
    if (!current()) {
      // Docker 20.10's CLI has no --check (its BuildKit 0.8 has no lint subrequest either)
      const run = await buildx(['--check', contextWith({ Dockerfile: `# syntax=${image}\n${BODY}` })]);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/unknown flag: --check/);
      return;
    }
    const withCmd = `${BODY}CMD echo done\n`;
    const dir = contextWith({ Dockerfile: `# syntax=${image}\n${withCmd}` });
    const ours = await buildx(['--check', dir]);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toMatch(/^Check complete, 3 warnings have been found!$/m);
    expect(ours.stdout).toContain(
      'WARNING: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
    );
    expect(ours.stdout).toContain(
      'WARNING: cache-mount-sharing - https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md\n' +
        "cache mount /var/cache/apt is shared by default, and parallel users fail on apt's lock: set sharing=locked\n" +
        // buildx names the file by its path
        `${join(dir, 'Dockerfile')}:3\n`,
    );
    // the user's own file, unchanged
    expect(ours.stdout).toContain('   3 | >>> RUN --mount=type=cache,target=/var/cache/apt echo first\n');

    // nothing for us: exactly what the built-in frontend says of the same file
    const clean = `${BODY.split('\n')[0]!}\nCMD echo done\n`;
    const json = async (firstLine: string) => {
      const run = await buildx(['--call=check,format=json', contextWith({ Dockerfile: `${firstLine}\n${clean}` })]);
      expect(run.code).toBe(1);
      return JSON.parse(run.stdout) as { warnings: unknown[] };
    };
    expect((await json(`# syntax=${image}`)).warnings).toEqual((await json('# built-in')).warnings);
  },
  { frontend: true },
);

e2eTest(
  '--call=outline, targets and outline as JSON answer on the user’s own file, as the built-in frontend does',
  async () => {
    const image = await frontendImage();
    const body = withBaseImages(
      `ARG GREETING=hello\n# the base\nFROM local/busybox-amd64 AS base\n${BODY.split('\n')[1]!}\n# the final stage\nFROM base AS final\n`,
    );
    if (!current()) {
      // Docker 20.10's CLI has no --call; the frontend forwards every subrequest unchanged (unit tests)
      const run = await buildx(['--call=outline', contextWith({ Dockerfile: `# syntax=${image}\n${body}` })]);
      expect(run.output).toMatch(/unknown flag: --call/);
      return;
    }
    for (const call of ['outline', 'targets', 'outline,format=json']) {
      const ours = await buildx([`--call=${call}`, contextWith({ Dockerfile: `# syntax=${image}\n${body}` })]);
      const builtin = await buildx([`--call=${call}`, contextWith({ Dockerfile: `# built-in frontend\n${body}` })]);
      expectOk(ours);
      if (call.endsWith('json')) {
        const [o, b] = [JSON.parse(ours.stdout), JSON.parse(builtin.stdout)];
        // the file the upstream described is the user's, byte for byte (no sharing=locked)
        expect(Buffer.from(o.sources[0], 'base64').toString()).toBe(`# syntax=${image}\n${body}`);
        expect({ ...o, sources: [] }).toEqual({ ...b, sources: [] });
      } else {
        expect(ours.stdout).toBe(builtin.stdout);
        expect(ours.stdout).toMatch(/final|GREETING/);
      }
    }
  },
  { frontend: true },
);

e2eTest(
  'zero-edit: --build-arg BUILDKIT_SYNTAX applies the fixes; a syntax line in the file names the upstream',
  async () => {
    const image = await frontendImage();
    const plain = await buildx(['--build-arg', `BUILDKIT_SYNTAX=${image}`, contextWith({ Dockerfile: BODY })]);
    expectOk(plain);
    expect(plain.output).toMatch(/\[dfrewrite\] 1 fix: cache-mount-sharing line 2/);
    expect(plain.output).toMatch(/RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked echo first/);

    const goFrontend = await docker(['image', 'inspect', 'docker/dockerfile:1']);
    if (goFrontend.code !== 0) return; // no docker/dockerfile:1 image on this engine, and no registry
    const own = await buildx([
      '--build-arg',
      `BUILDKIT_SYNTAX=${image}`,
      contextWith({ Dockerfile: `# syntax=docker/dockerfile:1\n${BODY}` }),
    ]);
    expectOk(own);
    expect(own.output).toMatch(
      /\[dfrewrite\] 1 fix: cache-mount-sharing line 3; 1 not fixed: cache-mount-sharing line 4; upstream docker\/dockerfile:1 from the syntax line/,
    );
    expect(own.output).toMatch(/resolve image config for (docker-image:\/\/)?docker\.io\/docker\/dockerfile:1/);
    expect(own.output).toMatch(/RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked echo first/);
  },
  { frontend: true },
);

e2eTest(
  'our rewrite is what builds with -f - (Dockerfile on stdin) and with -f outside the context',
  async () => {
    const image = await frontendImage();
    const text = `# syntax=${image}\n${BODY}`;
    const fromStdin = await buildx(['-f', '-', contextWith({ 'hello.txt': 'hi\n' })], { stdin: text });
    expectOk(fromStdin);
    expect(fromStdin.output).toMatch(/\[dfrewrite\] 1 fix: cache-mount-sharing line 3/);
    expect(fromStdin.output).toMatch(LOCKED_RUN);

    const outside = contextWith({ 'elsewhere/App.Dockerfile': text });
    const fromOutside = await buildx([
      '-f',
      join(outside, 'elsewhere/App.Dockerfile'),
      contextWith({ 'hello.txt': 'hi\n' }),
    ]);
    expectOk(fromOutside);
    expect(fromOutside.output).toMatch(/\[dfrewrite\] 1 fix: cache-mount-sharing line 3/);
    expect(fromOutside.output).toMatch(LOCKED_RUN);
  },
  { frontend: true },
);

e2eTest(
  'the frontend gives up root before it reads the build (the image’s USER is ignored by BuildKit)',
  async () => {
    const image = await frontendImage();
    const run = await buildx([
      '--build-arg',
      'DFREWRITE_DEBUG=1',
      contextWith({ Dockerfile: `# syntax=${image}\n${BODY}` }),
    ]);
    expectOk(run);
    // process.getuid()/getgid()/getgroups() of the running frontend, as the kernel answers them
    expect(run.output).toMatch(
      /\[dfrewrite\] 1 fix: .* \(debug: uid=65532 gid=65532 groups=65532; running as 65532:65532; \d+ ms after start\)/,
    );
  },
  { frontend: true },
);

e2eTest(
  'a Dockerfile over 1 MiB is not rewritten: the original is built, and the step and a warning say so',
  async () => {
    const image = await frontendImage();
    const padding = '# padding padding padding padding padding padding padding padding padding padding\n'.repeat(
      70_000,
    );
    const run = await buildx([contextWith({ Dockerfile: `# syntax=${image}\n${BODY}${padding}` })]);
    expectOk(run);
    expect(run.output).toMatch(/\[dfrewrite\] not rewritten: the Dockerfile is over 1 MiB; building the original file/);
    expect(run.output).toMatch(/RUN --mount=type=cache,target=\/var\/cache\/apt echo first/);
    expect(run.output).not.toMatch(LOCKED_RUN);
    if (current()) expect(run.output).toMatch(/dfrewrite: not rewritten: the Dockerfile is over 1 MiB/);
  },
  { frontend: true },
);

e2eTest(
  'an unknown rule id in DFREWRITE_DISABLE is reported and skipped; the other rules run',
  async () => {
    const image = await frontendImage();
    const run = await buildx([
      '--build-arg',
      'DFREWRITE_DISABLE=no-such-rule',
      contextWith({ Dockerfile: `# syntax=${image}\n${BODY}` }),
    ]);
    expectOk(run);
    expect(run.output).toMatch(
      /\[dfrewrite\] 1 fix: cache-mount-sharing line 3; .*ignored unknown rule "no-such-rule"/,
    );
    expect(run.output).toMatch(LOCKED_RUN);
    if (current())
      expect(run.output).toMatch(
        /WARN: dfrewrite: unknown rule "no-such-rule" in --disable\/DFREWRITE_DISABLE ignored; the other rules ran/,
      );
  },
  { frontend: true },
);
