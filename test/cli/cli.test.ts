import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLEAN, cli, FIXED, NEEDS_FIX, tree, write } from '../adoption/helpers.js';

let dir: string;
beforeEach(() => {
  dir = tree({}, 'dfrewrite-cli-');
});
const file = (name: string, content: string | Buffer): string => write(dir, name, content);

describe('dfrewrite FILE prints the rewritten file', () => {
  it('to stdout, with findings as file:line:col rule-id message on stderr', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    const { code, stdout, stderr } = cli([path]);
    expect(code).toBe(0);
    expect(stdout).toBe(FIXED);
    expect(stderr).toBe(
      `${path}:2:5 cache-mount-sharing cache mount /var/cache/apt is shared by default, and parallel users fail on apt's lock: set sharing=locked [fixed]\n`,
    );
    expect(readFileSync(path, 'utf8')).toBe(NEEDS_FIX);
  });

  it('- reads standard input', () => {
    const { code, stdout } = cli(['-'], { input: NEEDS_FIX });
    expect(code).toBe(0);
    expect(stdout).toBe(FIXED);
  });

  it('several files need a mode', () => {
    file('a/Dockerfile', CLEAN);
    file('b/Dockerfile', CLEAN);
    const { code, stderr } = cli([dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/use --diff, --check or --in-place/);
  });
});

describe('modes', () => {
  it('--diff prints a unified diff and writes nothing', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    const { code, stdout, stderr } = cli(['--diff', 'Dockerfile'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,2 +1,2 @@',
        ' FROM debian',
        '-RUN --mount=type=cache,target=/var/cache/apt apt-get update',
        '+RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update',
        '',
      ].join('\n'),
    );
    expect(stderr).toContain('[fixable]');
    expect(readFileSync(path, 'utf8')).toBe(NEEDS_FIX);
  });

  it('--check exits 1 and lists what would change, 0 when nothing would', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    file('clean/Dockerfile', CLEAN);
    const changed = cli(['--check', path]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toBe(`would rewrite ${path}\n`);
    expect(readFileSync(path, 'utf8')).toBe(NEEDS_FIX);
    expect(cli(['--check', join(dir, 'clean')]).code).toBe(0);
  });

  it('--in-place rewrites changed files atomically, keeps their mode, leaves unchanged files alone', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    chmodSync(path, 0o640);
    const clean = file('clean.Dockerfile', CLEAN);
    const cleanBefore = statSync(clean);
    const { code } = cli(['-i', dir]);
    expect(code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(FIXED);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(statSync(clean).mtimeMs).toBe(cleanBefore.mtimeMs);
    expect(statSync(clean).ino).toBe(cleanBefore.ino);
    expect(readdirSync(dir).sort()).toEqual(['Dockerfile', 'clean.Dockerfile']);
    expect(cli(['--check', dir]).code).toBe(0);
  });

  it('--json reports every file and finding', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    const { code, stdout, stderr } = cli(['--json', '--check', path]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      changed: 1,
      files: [
        {
          path,
          changed: true,
          findings: [
            {
              rule: 'cache-mount-sharing',
              severity: 'warning',
              line: 2,
              column: 5,
              endLine: 2,
              endColumn: 45,
              message: expect.stringContaining('set sharing=locked'),
              fixed: true,
              fixLevel: 'safe',
              addedLines: 0,
              url: 'https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md',
            },
          ],
        },
      ],
    });
  });
});

describe('rules', () => {
  it('--disable and --enable select rules; an unknown rule is a usage error', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    expect(cli(['--disable', 'cache-mount-sharing', path]).stdout).toBe(NEEDS_FIX);
    expect(cli(['--enable', 'uv-emulated-bytecode', path]).stdout).toBe(NEEDS_FIX);
    const unknown = cli(['--disable', 'nope', path]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown rule "nope"/);
  });

  it('--list-rules lists every rule with its summary', () => {
    const { code, stdout } = cli(['--list-rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cache-mount-sharing\s+safe\s+\S.*\nuv-emulated-bytecode\s+safe\s+\S/);
  });

  it('--help shows usage and examples; --version the package version', () => {
    const help = cli(['--help']).stdout;
    expect(help).toMatch(/Usage: dfrewrite[\s\S]*Examples:/);
    // what a directory run finds
    for (const text of [
      'Dockerfile-cuda',
      'api.dockerfile',
      'dockerfile_test.go',
      '*.template',
      'skipped',
      'docker-compose.yml',
      'dockerfile_inline',
      'include:',
      'remote contexts',
    ])
      expect(help, text).toContain(text);
    expect(cli(['--version']).stdout).toBe(`${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
  });
});

describe('directories', () => {
  it('finds Dockerfile names recursively, skipping .git, node_modules, ignore files and decoys', () => {
    for (const name of [
      'Dockerfile',
      'web.Dockerfile',
      'sub/Dockerfile.dev',
      'sub/Containerfile',
      // loose names: the word joined to the rest by . - or _, in any case
      'Dockerfile-cuda',
      'Dockerfile_prod',
      'api.dockerfile',
      'sub/app.Containerfile',
      'sub/Containerfile.dev',
      'Dockerfile.dockerignore',
      'x.Dockerfile.dockerignore',
      'node_modules/Dockerfile',
      '.git/Dockerfile',
      'README.md',
      // decoys: source, documents, templates
      'decoys/dockerfile_test.go',
      'decoys/Dockerfile.md',
      'decoys/Dockerfile.j2',
      'decoys/Dockerfile-windows.template',
      'decoys/dockerfile.py',
    ]) {
      file(name, NEEDS_FIX);
    }
    const { code, stdout, stderr } = cli(['--check', '.'], { cwd: dir });
    expect(stdout).toBe(
      [
        'Dockerfile',
        'Dockerfile-cuda',
        'Dockerfile_prod',
        'api.dockerfile',
        'sub/Containerfile',
        'sub/Containerfile.dev',
        'sub/Dockerfile.dev',
        'sub/app.Containerfile',
        'web.Dockerfile',
      ]
        .map((p) => `would rewrite ${p}\n`)
        .join(''),
    );
    expect(stderr).not.toMatch(/decoys|skipped/);
    expect(code).toBe(1);
  });

  it('a file found by a loose name that does not parse is listed as skipped, not an error', () => {
    file('Dockerfile', NEEDS_FIX);
    file('notes/Dockerfile_notes', 'Remember to pin the base image.\n');
    file('Dockerfile-binary', Buffer.from([0xff, 0xfe, 0x41, 0x00]));
    const { code, stdout, stderr } = cli(['--check', '.'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('would rewrite Dockerfile\n');
    expect(stderr).toContain(
      'dfrewrite: notes/Dockerfile_notes: skipped: line 1: unknown instruction "Remember" (only its name looked like a Dockerfile\'s)\n',
    );
    expect(stderr).toContain('dfrewrite: Dockerfile-binary: skipped: UTF-16 text: Dockerfiles are UTF-8');
    const json = JSON.parse(cli(['--check', '--json', '.'], { cwd: dir }).stdout);
    expect(json.files).toContainEqual({
      path: 'notes/Dockerfile_notes',
      changed: false,
      findings: [],
      skipped: expect.stringMatching(/^skipped: line 1: unknown instruction "Remember"/),
    });
    expect(json.files.filter((f: { error?: string }) => f.error)).toEqual([]);
    // named on the command line, the same file is an error
    const named = cli(['--check', 'notes/Dockerfile_notes'], { cwd: dir });
    expect(named.code).toBe(2);
    expect(named.stderr).toBe('dfrewrite: notes/Dockerfile_notes: line 1: unknown instruction "Remember"\n');
    // as is a canonical name found in a directory
    file('notes/Dockerfile', 'Remember\n');
    expect(cli(['--check', 'notes'], { cwd: dir }).code).toBe(2);
  });

  it('the same file named twice is processed once; a symlink given is followed and stays a link', () => {
    const target = file('real.Dockerfile', NEEDS_FIX);
    const link = join(dir, 'Dockerfile');
    symlinkSync('real.Dockerfile', link);
    const { code, stdout } = cli(['--check', link, target, link]);
    expect(code).toBe(1);
    expect(stdout).toBe(`would rewrite ${link}\n`);
    cli(['-i', link]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(FIXED);
  });
});

describe('bad input: a message naming the file (and line), exit 2, nothing lost', () => {
  it('a file we cannot parse is left untouched while the others are fixed', () => {
    const bad = file('a/Dockerfile', 'FROM x\nBOGUS y\nRUN --mount=type=cache,target=/var/cache/apt true\n');
    const good = file('b/Dockerfile', NEEDS_FIX);
    const { code, stderr } = cli(['-i', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad}: line 2: unknown instruction "BOGUS"`);
    expect(readFileSync(bad, 'utf8')).toContain('target=/var/cache/apt true');
    expect(readFileSync(good, 'utf8')).toBe(FIXED);
  });

  const cases: [string, () => string, RegExp][] = [
    ['a missing path', () => join(dir, 'missing'), /missing: no such file or directory/],
    [
      'a directory with no Dockerfiles',
      () => (mkdirSync(join(dir, 'empty')), join(dir, 'empty')),
      /empty: no Dockerfiles found/,
    ],
    [
      'binary data',
      () => file('Dockerfile', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0x78, 0x0a, 0x00, 0x01])),
      /Dockerfile: line 2: binary data/,
    ],
    [
      'invalid UTF-8',
      () => file('Dockerfile', Buffer.from('FROM x\nRUN \xff\xfe\n', 'latin1')),
      /Dockerfile: invalid UTF-8 at line 2/,
    ],
    ['UTF-16', () => file('Dockerfile', Buffer.from('\ufeffFROM x\n', 'utf16le')), /Dockerfile: UTF-16 text/],
    [
      'not a Dockerfile',
      () => file('Dockerfile', '# notes\nhello world\n'),
      /Dockerfile: line 2: unknown instruction "hello"/,
    ],
    [
      'an unterminated heredoc',
      () => file('Dockerfile', 'FROM x\nRUN <<EOF\necho\n'),
      /Dockerfile: line 2: unterminated heredoc/,
    ],
  ];
  describe('a missing file is named in every mode', () => {
    const modes: [string, string[]][] = [
      ['print', []],
      ['--diff', ['--diff']],
      ['--check', ['--check']],
      ['--in-place', ['-i']],
      ['--json', ['--json']],
      ['--format sarif', ['--format', 'sarif']],
      ['--format github', ['--format', 'github']],
    ];
    for (const [mode, args] of modes) {
      it(mode, () => {
        const missing = join(dir, 'path/that/does/not/exist');
        const { code, stdout, stderr } = cli([...args, missing]);
        expect(code).toBe(2);
        expect(stdout + stderr).toContain(`${missing}: no such file or directory`);
        expect(stderr).not.toMatch(/exactly one file/);
      });
    }

    it('print, with another file: both the missing file and the one-file rule are said', () => {
      const present = file('Dockerfile', NEEDS_FIX);
      const missing = join(dir, 'missing');
      const { code, stdout, stderr } = cli([missing, present]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `dfrewrite: ${missing}: no such file or directory\ndfrewrite: printing needs exactly one file; use --diff, --check or --in-place for several\n`,
      );
    });
  });

  for (const [name, make, message] of cases) {
    it(name, () => {
      const path = make();
      const before = safeRead(path);
      const { code, stderr } = cli(['-i', path]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(safeRead(path)).toEqual(before);
    });
  }

  it('a read-only file with --in-place', () => {
    const path = file('Dockerfile', NEEDS_FIX);
    chmodSync(path, 0o444);
    const { code, stderr } = cli(['-i', path]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}: file is read-only: not rewritten`);
    expect(readFileSync(path, 'utf8')).toBe(NEEDS_FIX);
  });
});

function safeRead(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
