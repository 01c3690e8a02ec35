import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN, cli, FIXED, NEEDS_FIX, tree, write } from '../adoption/helpers.js';

const wouldRewrite = (...paths: string[]): string => paths.map((p) => `would rewrite ${p}\n`).join('');

describe('Compose files: the Dockerfiles their services build are checked, whatever their names', () => {
  it('build: <dir> is <dir>/Dockerfile; build.dockerfile is relative to build.context (default .)', () => {
    const dir = tree({
      'compose.yaml': [
        'services:',
        '  short:',
        '    build: ./short',
        '  long:',
        '    build:',
        '      context: long',
        '      dockerfile: docker/build.image',
        '  here:',
        '    build:',
        '      dockerfile: here.df',
        '  image-only:',
        '    image: debian',
        '',
      ].join('\n'),
      'short/Dockerfile': NEEDS_FIX,
      'long/docker/build.image': NEEDS_FIX,
      'here.df': NEEDS_FIX,
      'unnamed.image': NEEDS_FIX,
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('short/Dockerfile', 'long/docker/build.image', 'here.df'));
    expect(run.code).toBe(1);
  });

  it('a Compose file named on the command line is read, whatever its name', () => {
    const dir = tree({
      'deploy/docker-compose.prod.yml':
        'services:\n  web:\n    build:\n      context: ../web\n      dockerfile: prod.image\n',
      'web/prod.image': NEEDS_FIX,
    });
    const run = cli(['--check', 'deploy/docker-compose.prod.yml'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('web/prod.image'));
    expect(run.code).toBe(1);
    // and printed, as the one file it names
    expect(cli(['deploy/docker-compose.prod.yml'], { cwd: dir }).stdout).toBe(FIXED);
  });

  it('a Compose file that builds nothing is noted, in text, JSON and GitHub annotations', () => {
    const dir = tree({ 'compose.yaml': '# images only\nservices:\n  db:\n    image: postgres\n' });
    const note = 'no Dockerfile to check: no service has a build section';
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stderr).toBe(`dfrewrite: compose.yaml:2: ${note}\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(cli(['--check', '--json', '.'], { cwd: dir }).stdout);
    expect(json.files).toEqual([{ path: 'compose.yaml', changed: false, findings: [], skipped: note }]);
    expect(cli(['--check', '--format', 'github', 'compose.yaml'], { cwd: dir }).stdout).toBe(
      `::notice file=compose.yaml,line=2,title=dfrewrite::${note}\n`,
    );
    // not said of a file that builds through an include, nor of a file read a second time
    const included = tree({
      'compose.yaml': 'include:\n  - sub/compose.yaml\n',
      'sub/compose.yaml': 'services:\n  app:\n    build: .\n',
      'sub/Dockerfile': CLEAN,
    });
    const both = cli(['--check', '.', 'sub/compose.yaml'], { cwd: included });
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
  });

  it('a file found by the walk and by a Compose file is checked once', () => {
    const dir = tree({
      'docker-compose.yml': 'services:\n  a:\n    build: .\n  b:\n    build:\n      dockerfile: ./Dockerfile\n',
      Dockerfile: NEEDS_FIX,
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('Dockerfile'));
    expect(run.stderr.match(/cache-mount-sharing/g)).toHaveLength(1);
  });

  it('paths are interpolated from the environment over .env; an unset variable skips the service with a note', () => {
    const dir = tree({
      'compose.yaml': [
        'services:',
        '  from-env-file:',
        '    build: { context: $APP_DIR, dockerfile: app.image }',
        '  from-default:',
        '    build:',
        '      context: ${NOT_SET:-defaulted}',
        '      dockerfile: ${FILE_NAME:-app}.$${literal}',
        '  unset:',
        '    build: ${NOT_SET}/x',
        '  required:',
        '    build: ${NOT_SET:?set NOT_SET to the app directory}',
        '',
      ].join('\n'),
      '.env': 'APP_DIR=from-dotenv\n',
      'from-dotenv/app.image': NEEDS_FIX,
      'from-process/app.image': NEEDS_FIX,
      'defaulted/app.${literal}': NEEDS_FIX,
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('from-dotenv/app.image', 'defaulted/app.${literal}'));
    expect(run.stderr).toContain(
      'dfrewrite: compose.yaml:8: service "unset": build skipped: variable NOT_SET is not set\n',
    );
    expect(run.stderr).toContain(
      'dfrewrite: compose.yaml:10: service "required": build skipped: NOT_SET: set NOT_SET to the app directory\n',
    );
    expect(run.code).toBe(1); // notes are not errors
    const env = cli(['--check', '.'], { cwd: dir, env: { APP_DIR: 'from-process' } });
    expect(env.stdout).toBe(wouldRewrite('from-process/app.image', 'defaulted/app.${literal}'));
  });

  it('remote build contexts are skipped with a note', () => {
    const dir = tree({
      'compose.yaml': [
        'services:',
        '  https:',
        '    build: https://github.com/example/app.git#main',
        '  ssh:',
        '    build:',
        '      context: git@github.com:example/app.git',
        '      dockerfile: build/Dockerfile',
        '  short:',
        '    build: github.com/example/app',
        '',
      ].join('\n'),
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      [
        'dfrewrite: compose.yaml:2: service "https": remote build context https://github.com/example/app.git#main skipped: it cannot be read here',
        'dfrewrite: compose.yaml:4: service "ssh": remote build context git@github.com:example/app.git skipped: it cannot be read here',
        'dfrewrite: compose.yaml:8: service "short": remote build context github.com/example/app skipped: it cannot be read here',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(cli(['--check', '--json', '.'], { cwd: dir }).stdout);
    expect(json.files).toEqual([
      expect.objectContaining({ path: 'compose.yaml', skipped: expect.stringMatching(/^service "https": remote/) }),
      expect.objectContaining({ path: 'compose.yaml', skipped: expect.stringMatching(/^service "ssh": remote/) }),
      expect.objectContaining({ path: 'compose.yaml', skipped: expect.stringMatching(/^service "short": remote/) }),
    ]);
    const github = cli(['--check', '--format', 'github', '.'], { cwd: dir });
    expect(github.stdout).toContain(
      '::notice file=compose.yaml,line=2,title=dfrewrite::service "https": remote build context https://github.com/example/app.git#main skipped: it cannot be read here\n',
    );
  });

  it('dockerfile_inline is checked as text and reported at its lines in the Compose file', () => {
    const compose = [
      'services:',
      '  inline:',
      '    build:',
      '      context: .',
      '      dockerfile_inline: |',
      '        FROM debian',
      '        RUN --mount=type=cache,target=/var/cache/apt apt-get update',
      '  clean:',
      '    build:',
      '      dockerfile_inline: "FROM debian\\nRUN echo $${HOME}\\n"',
      '',
    ].join('\n');
    const dir = tree({ 'compose.yaml': compose });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('compose.yaml (service "inline", dockerfile_inline)'));
    expect(run.stderr).toMatch(
      /^compose\.yaml:7:13 cache-mount-sharing cache mount \/var\/cache\/apt .* \[fixable\]\n$/,
    );
    expect(run.code).toBe(1);
    const json = JSON.parse(cli(['--check', '--json', '.'], { cwd: dir }).stdout);
    expect(json.files).toEqual([
      expect.objectContaining({
        path: 'compose.yaml',
        service: 'inline',
        changed: true,
        findings: [expect.objectContaining({ rule: 'cache-mount-sharing', line: 7, column: 13, endLine: 7 })],
      }),
      expect.objectContaining({ path: 'compose.yaml', service: 'clean', changed: false, findings: [] }),
    ]);
    // --in-place leaves the Compose file as it is, and says so: the fix is fixable, not fixed
    const inPlace = cli(['-i', '.'], { cwd: dir });
    expect(inPlace.stderr).toMatch(/^compose\.yaml:7:13 cache-mount-sharing .* \[fixable\]\n/);
    expect(inPlace.stderr).toContain(
      'dfrewrite: compose.yaml (service "inline", dockerfile_inline): not rewritten in place: edit it by hand\n',
    );
    expect(inPlace.code).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(compose);
    // and --json says nothing changed, and why
    const inPlaceJson = cli(['-i', '--json', '.'], { cwd: dir });
    expect(JSON.parse(inPlaceJson.stdout)).toMatchObject({
      files: [
        {
          path: 'compose.yaml',
          service: 'inline',
          changed: false,
          notWritten: 'not rewritten in place: edit it by hand',
        },
        { path: 'compose.yaml', service: 'clean', changed: false },
      ],
      changed: 0,
    });
    expect(JSON.parse(inPlaceJson.stdout).files[1]).not.toHaveProperty('notWritten');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(compose);
  });

  it('an inline Dockerfile written as a quoted or folded string is reported at the start of its value', () => {
    const dir = tree({
      'compose.yaml': [
        'services:',
        '  quoted:',
        '    build:',
        '      dockerfile_inline: "FROM debian\\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\\n"',
        '',
      ].join('\n'),
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.stderr).toMatch(/^compose\.yaml:4:26 cache-mount-sharing /);
    expect(run.code).toBe(1);
  });

  it('an inline Dockerfile that does not parse is an error at its line in the Compose file', () => {
    const dir = tree({
      'compose.yaml': 'services:\n  bad:\n    build:\n      dockerfile_inline: |\n        FROM x\n        BOGUS y\n',
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'dfrewrite: compose.yaml (service "bad", dockerfile_inline): line 2: unknown instruction "BOGUS"',
    );
    const github = cli(['--check', '--format', 'github', '.'], { cwd: dir });
    expect(github.stdout).toMatch(/^::error file=compose\.yaml,line=6,title=dfrewrite::/m);
  });

  it('include: files are followed (each with its own directory and .env), cycles end', () => {
    const dir = tree({
      'compose.yaml': 'include:\n  - sub/compose.yaml\n  - path: other/more.yml\nservices:\n  top:\n    build: top\n',
      'top/Dockerfile': NEEDS_FIX,
      'sub/compose.yaml': 'include:\n  - ../compose.yaml\nservices:\n  sub:\n    build: ${SUB_DIR}\n',
      'sub/.env': 'SUB_DIR=app\n',
      'sub/app/Dockerfile': NEEDS_FIX,
      'other/more.yml': 'services:\n  more:\n    build:\n      context: .\n      dockerfile: more.image\n',
      'other/more.image': NEEDS_FIX,
    });
    const run = cli(['--check', 'compose.yaml'], { cwd: dir });
    expect(run.stdout).toBe(wouldRewrite('top/Dockerfile', 'sub/app/Dockerfile', 'other/more.image'));
    expect(run.code).toBe(1);
  });

  it("an included file reads the including project's environment over its own .env (compose-spec include)", () => {
    const dir = tree({
      'compose.yaml': [
        'include:',
        '  - sub/compose.yaml',
        '  - path: other/compose.yaml',
        '    project_directory: ${OTHER}',
        '    env_file: ${OTHER}/${ENV_NAME}.env',
        '',
      ].join('\n'),
      '.env': 'APP=from-top\nOTHER=other\nENV_NAME=custom\n',
      // APP from the including project wins; LEAF only here, interpolated from the including project
      'sub/compose.yaml': 'services:\n  sub:\n    build: ${APP}/${LEAF}\n',
      'sub/.env': 'APP=from-sub\nLEAF=${APP}-leaf\n',
      'sub/from-top/from-top-leaf/Dockerfile': NEEDS_FIX,
      'other/compose.yaml': 'services:\n  other:\n    build: ${OTHER_DIR}\n',
      'other/custom.env': 'OTHER_DIR=built\n',
      'other/built/Dockerfile': NEEDS_FIX,
    });
    const run = cli(['--check', 'compose.yaml'], { cwd: dir });
    expect(run.stderr).not.toContain('skipped');
    expect(run.stdout).toBe(wouldRewrite('sub/from-top/from-top-leaf/Dockerfile', 'other/built/Dockerfile'));
    expect(run.code).toBe(1);
    // the process environment is the including project's too
    const env = cli(['--check', 'compose.yaml'], { cwd: dir, env: { APP: 'proc' } });
    expect(env.stderr).toContain('dfrewrite: sub/proc/proc-leaf/Dockerfile: no such file or directory');
  });

  it('a missing included file is an error naming the file that includes it', () => {
    const dir = tree({ 'compose.yaml': 'include:\n  - path: [gone.yaml]\nservices: {}\n' });
    const run = cli(['--check', 'compose.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('dfrewrite: gone.yaml: no such file or directory (included by compose.yaml)\n');
    // and a missing env_file too
    write(dir, 'sub/compose.yaml', 'services: {}\n');
    write(dir, 'compose.yaml', 'include:\n  - path: sub/compose.yaml\n    env_file: sub/gone.env\n');
    const env = cli(['--check', 'compose.yaml'], { cwd: dir });
    expect(env.code).toBe(2);
    expect(env.stderr).toBe(
      'dfrewrite: sub/gone.env: no such file or directory (env_file of an include in compose.yaml)\n',
    );
  });

  it('a Compose file that does not parse is an error naming its line; the rest goes on', () => {
    const dir = tree({
      'a/compose.yaml': 'services:\n  web:\n    build: .\n   bad: [\n',
      'a/Dockerfile': CLEAN,
      'b/Dockerfile': NEEDS_FIX,
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dfrewrite: a\/compose\.yaml: line 4: not a valid Compose file: /m);
    expect(run.stdout).toBe(wouldRewrite('b/Dockerfile'));
    const json = JSON.parse(cli(['--check', '--json', '.'], { cwd: dir }).stdout);
    expect(json.files[0]).toMatchObject({ path: 'a/compose.yaml', error: expect.stringMatching(/line 4/) });
    // valid YAML that cannot be resolved: a merge key on a scalar
    const merge = tree({ 'compose.yaml': 'x: &x 1\nservices:\n  web: { <<: *x, build: . }\n', Dockerfile: CLEAN });
    const run2 = cli(['--check', '.'], { cwd: merge });
    expect(run2.code).toBe(2);
    expect(run2.stderr).toBe(
      'dfrewrite: compose.yaml: not a valid Compose file: Merge sources must be maps or map aliases\n',
    );
  });

  it('a Dockerfile a Compose file names is an error when missing or not parseable, whatever its name', () => {
    const dir = tree({
      'compose.yaml': 'services:\n  gone:\n    build: gone\n  bad:\n    build:\n      dockerfile: Dockerfile-bad\n',
      'Dockerfile-bad': 'hello world\n',
    });
    const run = cli(['--check', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'dfrewrite: gone/Dockerfile: no such file or directory (named by service "gone" of compose.yaml)\n',
    );
    expect(run.stderr).toContain('dfrewrite: Dockerfile-bad: line 1: unknown instruction "hello"\n');
    expect(run.stderr).not.toContain('skipped');
  });
});
