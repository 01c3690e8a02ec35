/**
 * The pre-commit hooks, run by a real pre-commit (Debian: `apt-get install -y pre-commit`) with
 * `try-repo` against a snapshot of this working tree: pre-commit installs the package as it
 * installs any `language: node` hook (npm install in the repository, which runs `prepare`, then
 * npm pack and a global install of the tarball), then runs the hook on a temporary repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FIXED, git, GIT_ENV, NEEDS_FIX, snapshotOfThisRepository, tree } from './helpers.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPreCommit)
  console.log('pre-commit is not installed: pre-commit hook tests skipped (Debian: apt-get install -y pre-commit)');

describe.skipIf(!hasPreCommit)('pre-commit hooks (.pre-commit-hooks.yaml)', () => {
  it(
    'dfrewrite fixes and fails the run, then passes; dfrewrite-check fails and touches nothing',
    { timeout: 600_000 },
    () => {
      const root = tree({}, 'dfrewrite-pre-commit-');
      onTestFinished(() => rmSync(root, { recursive: true, force: true }));
      const hooks = snapshotOfThisRepository(join(root, 'hooks'));
      const work = join(root, 'work');
      mkdirSync(work);
      git(work, 'init', '-q');
      writeFileSync(join(work, 'Dockerfile'), NEEDS_FIX);
      mkdirSync(join(work, 'svc'));
      writeFileSync(join(work, 'svc', 'api.Dockerfile'), 'FROM debian\nRUN echo hello\n');
      // Not Dockerfiles: were they handed to dfrewrite, it would fail on them ("unknown instruction").
      writeFileSync(join(work, 'Dockerfile.dockerignore'), 'node_modules\n*.log\n');
      writeFileSync(join(work, 'svc', 'api.Dockerfile.dockerignore'), 'node_modules\n');
      writeFileSync(join(work, 'README.md'), 'not a Dockerfile\n');
      writeFileSync(join(work, 'Dockerfile.md'), '# How to build\nnot a Dockerfile\n');
      writeFileSync(join(work, 'Dockerfile.j2'), 'FROM {{ base }}\n{% for p in pkgs %}RUN x{% endfor %}\n');
      git(work, 'add', '-A');
      // prefer-offline: npm takes what its cache already has (the same packages as this checkout's).
      const env = {
        ...process.env,
        ...GIT_ENV,
        PRE_COMMIT_HOME: join(root, 'pre-commit-home'),
        NO_COLOR: '1',
        npm_config_prefer_offline: 'true',
      };
      const tryRepo = (hook: string) => {
        const run = spawnSync('pre-commit', ['try-repo', hooks, hook, '--all-files', '--color', 'never', '--verbose'], {
          cwd: work,
          env,
          encoding: 'utf8',
        });
        return { code: run.status, output: `${run.stdout}${run.stderr}` };
      };

      const fix = tryRepo('dfrewrite');
      expect(fix.code, fix.output).toBe(1);
      expect(fix.output).toMatch(/files were modified by this hook/);
      expect(fix.output).not.toMatch(/dockerignore|unknown instruction/);
      expect(readFileSync(join(work, 'Dockerfile'), 'utf8')).toBe(FIXED);

      const again = tryRepo('dfrewrite');
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(/Passed/);

      writeFileSync(join(work, 'Dockerfile'), NEEDS_FIX);
      const check = tryRepo('dfrewrite-check');
      expect(check.code, check.output).toBe(1);
      expect(check.output).toMatch(/would rewrite Dockerfile/);
      expect(check.output).not.toMatch(/files were modified/);
      expect(readFileSync(join(work, 'Dockerfile'), 'utf8')).toBe(NEEDS_FIX);
    },
  );
});
