import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, workflowCommand } from '../../src/cli/github.js';
import { cli, FIXED, NEEDS_FIX, tree } from './helpers.js';

describe('--format github: workflow commands', () => {
  it('escapes as the runner unescapes: % CR LF in messages, and : , in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(workflowCommand('warning', { file: 'dir,x/Dock:erfile', line: 2, col: undefined, title: 'T' }, 'm\nn')).toBe(
      '::warning file=dir%2Cx/Dock%3Aerfile,line=2,title=T::m%0An',
    );
  });

  it('prints one annotation per finding, with its range, relative to GITHUB_WORKSPACE', () => {
    const dir = tree({ 'svc/Dockerfile': NEEDS_FIX, Dockerfile: 'FROM x\nBOGUS y\n' });
    const { code, stdout, stderr } = cli(['--check', '--format', 'github', `${dir}/svc`, `${dir}/Dockerfile`], {
      env: { GITHUB_WORKSPACE: dir },
    });
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^::warning file=svc\/Dockerfile,line=2,col=5,endLine=2,endColumn=45,title=dfrewrite cache-mount-sharing::cache mount \/var\/cache\/apt .* set sharing=locked \[fixable\]%0Ahttps:\/\/github\.com\/dfrewrite\/dfrewrite\/blob\/main\/docs\/rules\/cache-mount-sharing\.md$/,
      ),
      `would rewrite ${dir}/svc/Dockerfile`,
      '::error file=Dockerfile,line=2,title=dfrewrite::Dockerfile: line 2: unknown instruction "BOGUS"'.replace(
        'Dockerfile: line',
        `${dir}/Dockerfile: line`,
      ),
    ]);
    expect(stderr).toContain('unknown instruction "BOGUS"');
  });

  it('with --in-place the file is fixed and the annotation says so', () => {
    const dir = tree({ Dockerfile: NEEDS_FIX });
    const { code, stdout } = cli(['-i', '--format', 'github', 'Dockerfile'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^::warning file=Dockerfile,line=2,.*\[fixed\]/);
    expect(cli(['Dockerfile'], { cwd: dir }).stdout).toBe(FIXED);
  });
});
