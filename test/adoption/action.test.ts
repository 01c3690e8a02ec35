/**
 * The GitHub Action (action.yml, composite): its step logic is scripts/action.mjs, run here as the
 * runner runs it — in the workspace, with GITHUB_WORKSPACE, GITHUB_ACTION_PATH, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, RUNNER_TEMP and the inputs as INPUT_* variables.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FIXED, NEEDS_FIX, snapshotOfThisRepository, tree } from './helpers.js';

const ACTION_PATH = resolve('.');

function runAction(
  inputs: Record<string, string>,
  files: Record<string, string> = { Dockerfile: NEEDS_FIX, 'svc/api.Dockerfile': 'FROM debian\nRUN echo ok\n' },
  actionPath = ACTION_PATH,
) {
  const workspace = tree(files, 'dfrewrite-action-ws-');
  const runner = tree({ output: '', summary: '' }, 'dfrewrite-action-runner-');
  const env: Record<string, string> = {
    ...process.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    RUNNER_TEMP: runner,
    NO_COLOR: '1',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const run = spawnSync(process.execPath, [join(actionPath, 'scripts/action.mjs')], {
    cwd: workspace,
    env,
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(join(runner, 'output'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  return {
    code: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs,
    summary: readFileSync(join(runner, 'summary'), 'utf8'),
    workspace,
    runner,
  };
}

describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8'));

  it('is a composite action that builds the CLI from its own checkout and runs scripts/action.mjs', () => {
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'mode', 'format']));
    expect(action.inputs.mode.default).toBe('check');
    expect(action.outputs['sarif-file'].value).toBe('${{ steps.dfrewrite.outputs.sarif-file }}');
    expect(action.runs.using).toBe('composite');
    const [install, run] = action.runs.steps;
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    expect(install.run).toMatch(/^npm ci .*&& node scripts\/build\.mjs$/);
    expect(run.id).toBe('dfrewrite');
    expect(run.run).toBe('node "${{ github.action_path }}/scripts/action.mjs"');
    for (const name of Object.keys(action.inputs))
      expect(run.env[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
  });

  it('its install step builds a working CLI in a clean checkout of the action', { timeout: 300_000 }, () => {
    const root = tree({}, 'dfrewrite-action-checkout-');
    onTestFinished(() => rmSync(root, { recursive: true, force: true }), 120_000);
    const checkout = snapshotOfThisRepository(join(root, 'action'));
    const install = spawnSync('bash', ['-e', '-c', action.runs.steps[0].run], {
      cwd: checkout,
      encoding: 'utf8',
      env: { ...process.env, npm_config_prefer_offline: 'true' },
    });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const { code, outputs } = runAction({}, undefined, checkout);
    expect(code).toBe(1);
    expect(outputs.findings).toBe('1');
  });
});

describe('scripts/action.mjs', () => {
  it('check: annotations, exit 1, the SARIF file as an output, a summary table', () => {
    const { code, stdout, outputs, summary, workspace, runner } = runAction({ mode: 'check', format: 'github' });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^::warning file=Dockerfile,line=2,col=5,endLine=2,endColumn=45,title=dfrewrite cache-mount-sharing::.*\[fixable\]/m,
    );
    expect(stdout).toContain('would rewrite Dockerfile');
    expect(outputs).toEqual({ 'sarif-file': join(runner, 'dfrewrite.sarif'), findings: '1', files: '1' });
    const log = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('Dockerfile');
    expect(summary).toContain('### dfrewrite');
    expect(summary).toContain('1 finding in 1 file, 1 fixed by default (mode check: files would change).');
    expect(summary).toContain('| File | Line | Rule | Finding | Fix |');
    expect(summary).toMatch(
      /^\| `Dockerfile` \| 2 \| \[cache-mount-sharing\]\(https:\/\/github\.com\/dfrewrite\/dfrewrite\/blob\/main\/docs\/rules\/cache-mount-sharing\.md\) \| cache mount .* \| fixable \|$/m,
    );
    expect(readFileSync(join(workspace, 'Dockerfile'), 'utf8')).toBe(NEEDS_FIX);
  });

  it('check on clean files: exit 0, no table', () => {
    const { code, outputs, summary } = runAction({}, { Dockerfile: 'FROM debian\nRUN echo ok\n' });
    expect(code).toBe(0);
    expect(outputs.findings).toBe('0');
    expect(summary).toContain('0 findings in 0 files, 0 fixed by default (mode check: nothing would change).');
    expect(summary).not.toContain('| File |');
  });

  it('fix: rewrites in place and passes; the SARIF describes the files before the fix', () => {
    const { code, stdout, outputs, summary, workspace } = runAction({
      mode: 'fix',
      format: 'text',
      'sarif-file': 'reports/out.sarif',
    });
    expect(code).toBe(0);
    expect(readFileSync(join(workspace, 'Dockerfile'), 'utf8')).toBe(FIXED);
    expect(stdout).not.toContain('::warning');
    expect(outputs['sarif-file']).toBe(join(workspace, 'reports/out.sarif'));
    expect(existsSync(outputs['sarif-file']!)).toBe(true);
    expect(summary).toMatch(/\| fixed \|$/m);
  });

  it('diff: prints the diff, passes, writes nothing', () => {
    const { code, stdout, workspace } = runAction({ mode: 'diff', format: 'sarif', paths: 'Dockerfile svc' });
    expect(code).toBe(0);
    expect(stdout).toContain('+RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update');
    expect(readFileSync(join(workspace, 'Dockerfile'), 'utf8')).toBe(NEEDS_FIX);
  });

  it('a file that cannot be read, or a bad configuration: exit 2, and the summary says so', () => {
    const bad = runAction({}, { Dockerfile: 'FROM x\nBOGUS y\n', 'ok/Dockerfile': NEEDS_FIX });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(
      /^::error file=Dockerfile,line=2,title=dfrewrite::Dockerfile: line 2: unknown instruction "BOGUS"$/m,
    );
    expect(bad.summary).toContain(':x: Dockerfile: line 2: unknown instruction');
    expect(bad.outputs.findings).toBe('1');

    const config = runAction({}, { Dockerfile: NEEDS_FIX, '.dfrewrite.json': '{"rules": {"nope": "off"}}' });
    expect(config.code).toBe(2);
    expect(config.stdout).toMatch(
      /^::error title=dfrewrite::dfrewrite did not produce a SARIF log \(exit 2\): dfrewrite: .*\.dfrewrite\.json: rules: unknown rule "nope"/m,
    );
    expect(config.summary).toMatch(/^:x: dfrewrite did not produce a SARIF log .*unknown rule "nope"/m);
  });

  it('unknown inputs are errors', () => {
    expect(runAction({ mode: 'fixit' }).stdout).toContain(
      '::error title=dfrewrite::unknown mode "fixit" (known: check, fix, diff)',
    );
    expect(runAction({ format: 'xml' }).code).toBe(2);
  });

  it('a config input is passed on', () => {
    const { code, outputs } = runAction(
      { config: 'ci/dfrewrite.yaml' },
      { Dockerfile: NEEDS_FIX, 'ci/dfrewrite.yaml': 'rules:\n  cache-mount-sharing: off\n' },
    );
    expect(code).toBe(0);
    expect(outputs.findings).toBe('0');
  });
});
