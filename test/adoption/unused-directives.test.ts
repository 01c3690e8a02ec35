import { describe, expect, it } from 'vitest';
import { cli, tree } from './helpers.js';

const FILE = [
  'FROM debian:12',
  '# dfrewrite: ignore=cache-mount-sharing',
  'RUN --mount=type=cache,target=/var/cache/apt apt-get update',
  '# dfrewrite: ignore=cache-mount-sharing',
  'RUN echo nothing to suppress',
  '# dfrewrite: ignore',
  'RUN echo nothing either',
  '# dfrewrite: ignore=uv-emulated-bytecode',
  'RUN echo uv is disabled below',
  '',
].join('\n');

describe('--report-unused-directives', () => {
  it('lists the ignore directives that suppressed nothing as file:line, and exits 1', () => {
    const dir = tree({ Dockerfile: FILE });
    const { code, stdout, stderr } = cli(
      ['--report-unused-directives', '--disable', 'uv-emulated-bytecode', 'Dockerfile'],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(stdout).toBe(FILE); // nothing else to fix: the first ignore is used
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'Dockerfile:4:1 dfrewrite-directive unused dfrewrite ignore directive: cache-mount-sharing reported nothing on the instruction below it (remove the directive)',
      'Dockerfile:6:1 dfrewrite-directive unused dfrewrite ignore directive: any rule reported nothing on the instruction below it (remove the directive)',
    ]);
  });

  it('an ignore of a rule that ran is judged; without the flag nothing is reported and the exit code is 0', () => {
    const dir = tree({ Dockerfile: FILE });
    const reported = cli(['--report-unused-directives', '--check', 'Dockerfile'], { cwd: dir });
    expect(reported.code).toBe(1);
    expect(reported.stderr).toContain(
      'Dockerfile:8:1 dfrewrite-directive unused dfrewrite ignore directive: uv-emulated-bytecode',
    );
    const quiet = cli(['--check', 'Dockerfile'], { cwd: dir });
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a file with every rule off (# dfrewrite: off) has nothing to judge', () => {
    const dir = tree({ Dockerfile: `# dfrewrite: off\n${FILE}` });
    expect(cli(['--report-unused-directives', '--check', 'Dockerfile'], { cwd: dir })).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('appear in --json and --format sarif as dfrewrite-directive findings', () => {
    const dir = tree({ Dockerfile: FILE });
    const json = JSON.parse(
      cli(['--report-unused-directives', '--json', '--disable', 'uv-emulated-bytecode', 'Dockerfile'], { cwd: dir })
        .stdout,
    );
    expect(json.files[0].findings.map((f: any) => [f.rule, f.line])).toEqual([
      ['dfrewrite-directive', 4],
      ['dfrewrite-directive', 6],
    ]);
    const sarif = JSON.parse(
      cli(['--report-unused-directives', '--format', 'sarif', 'Dockerfile'], { cwd: dir }).stdout,
    );
    expect(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual([4, 6, 8]);
  });
});
