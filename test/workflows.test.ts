// The GitHub workflows cannot run on the machine dfrewrite is developed on (no runner, no registry):
// they are validated here instead, against GitHub's workflow schema with @action-validator/cli, and
// every action they use must be pinned by a full commit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKFLOWS = join(REPO, '.github', 'workflows');
const VALIDATOR = join(
  dirname(createRequire(import.meta.url).resolve('@action-validator/cli/package.json')),
  'cli.mjs',
);
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

/** action-validator's verdict on one file: its exit code and what it printed. */
function validate(path: string): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [VALIDATOR, path], { encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Job {
  uses?: string;
  steps?: { uses?: string }[];
}

/** Every `uses:` of a workflow: reusable workflows and steps. */
function uses(text: string): string[] {
  const jobs = Object.values((parse(text) as { jobs: Record<string, Job> }).jobs);
  return jobs.flatMap((job) => [job.uses, ...(job.steps ?? []).map((s) => s.uses)]).filter((u) => u !== undefined);
}

describe('.github/workflows', () => {
  it('holds the CI workflow', () => {
    expect(files).toContain('ci.yml');
  });

  for (const file of files) {
    it(`${file} is a valid workflow`, () => {
      const { code, output } = validate(join(WORKFLOWS, file));
      expect(output).toBe('');
      expect(code).toBe(0);
    });

    it(`${file} pins every action by a full commit`, () => {
      const refs = uses(readFileSync(join(WORKFLOWS, file), 'utf8'));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        if (ref.startsWith('./')) continue; // this repository's own, at the same commit
        expect(ref, ref).toMatch(ref.startsWith('docker://') ? /@sha256:[0-9a-f]{64}$/ : /^[^@]+@[0-9a-f]{40}$/);
      }
    });
  }

  it('the validator rejects a broken workflow (a job without runs-on)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-workflow-'));
    try {
      const text = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
      const broken = text.replace(/^( {4})runs-on:/m, '$1runs_on:');
      expect(broken).not.toBe(text);
      writeFileSync(join(dir, 'ci.yml'), broken);
      const { code, output } = validate(join(dir, 'ci.yml'));
      expect(code).not.toBe(0);
      expect(output).toContain("Additional property 'runs_on' is not allowed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the pinning check tells a tag from a commit', () => {
    const text = 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - run: true\n';
    expect(uses(text)).toEqual(['actions/checkout@v4']);
    expect('actions/checkout@v4').not.toMatch(/^[^@]+@[0-9a-f]{40}$/);
  });
});
