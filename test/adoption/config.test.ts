import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, findConfig, loadConfigFile, toRewriteOptions, validateConfig } from '../../src/config/index.js';
import { rewrite } from '../../src/core/rewrite.js';
import { allRules } from '../../src/rules/index.js';
import { cli, FIXED, NEEDS_FIX, tree, write } from './helpers.js';

const UV = 'FROM --platform=$BUILDPLATFORM python:3.12\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync\n';
const APT_INSTALL = 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y git\n';
const OFF = { rules: { 'cache-mount-sharing': 'off' } };

describe('the configuration file, found from each Dockerfile upwards', () => {
  it('.dfrewrite.json, .dfrewrite.yaml and package.json "dfrewrite"; the nearest wins', () => {
    const dir = tree({
      '.dfrewrite.json': JSON.stringify(OFF),
      'a/Dockerfile': NEEDS_FIX,
      'b/.dfrewrite.yaml': 'rules:\n  cache-mount-sharing: on\n',
      'b/Dockerfile': NEEDS_FIX,
      'c/package.json': JSON.stringify({
        name: 'c',
        dfrewrite: { rules: { 'cache-mount-sharing': { enabled: true } } },
      }),
      'c/Dockerfile': NEEDS_FIX,
      'd/package.json': JSON.stringify({ name: 'd' }), // no "dfrewrite" key: keep looking upwards
      'd/Dockerfile': NEEDS_FIX,
    });
    const { code, stdout } = cli(['--check', '.'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('would rewrite b/Dockerfile\nwould rewrite c/Dockerfile\n');
  });

  it('--config PATH applies one file to every Dockerfile; --no-config reads none', () => {
    const dir = tree({
      '.dfrewrite.json': JSON.stringify(OFF),
      Dockerfile: NEEDS_FIX,
      'ci/on.yml': 'rules: { cache-mount-sharing: "on" }\n',
    });
    expect(cli(['Dockerfile'], { cwd: dir }).stdout).toBe(NEEDS_FIX);
    expect(cli(['--config', 'ci/on.yml', 'Dockerfile'], { cwd: dir }).stdout).toBe(FIXED);
    expect(cli(['--no-config', 'Dockerfile'], { cwd: dir }).stdout).toBe(FIXED);
    expect(cli(['--no-config', '-'], { cwd: dir, input: NEEDS_FIX }).stdout).toBe(FIXED);
    expect(cli(['-'], { cwd: dir, input: NEEDS_FIX }).stdout).toBe(NEEDS_FIX); // standard input: from the working directory
  });

  it('flags override the file; in-file directives override both', () => {
    const dir = tree({ '.dfrewrite.json': JSON.stringify(OFF), Dockerfile: NEEDS_FIX });
    expect(cli(['--enable', 'cache-mount-sharing', 'Dockerfile'], { cwd: dir }).stdout).toBe(FIXED);
    write(dir, 'enabled/Dockerfile', `# dfrewrite: enable=cache-mount-sharing\n${NEEDS_FIX}`);
    expect(cli(['enabled/Dockerfile'], { cwd: dir }).stdout).toBe(`# dfrewrite: enable=cache-mount-sharing\n${FIXED}`);
    write(dir, 'on/.dfrewrite.json', '{"rules": {"cache-mount-sharing": "on"}}');
    write(dir, 'on/Dockerfile', NEEDS_FIX);
    expect(cli(['on/Dockerfile'], { cwd: dir }).stdout).toBe(FIXED);
    expect(cli(['--disable', 'cache-mount-sharing', 'on/Dockerfile'], { cwd: dir }).stdout).toBe(NEEDS_FIX);
    write(dir, 'on/off.Dockerfile', `# dfrewrite: off\n${NEEDS_FIX}`);
    expect(cli(['--enable', 'cache-mount-sharing', 'on/off.Dockerfile'], { cwd: dir }).stdout).toBe(
      `# dfrewrite: off\n${NEEDS_FIX}`,
    );
  });

  it('applySuggested in the file; --no-apply-suggested and --apply-suggested override it', () => {
    const dir = tree({ '.dfrewrite.json': '{"applySuggested": true}', Dockerfile: APT_INSTALL });
    const suggested = cli(['Dockerfile'], { cwd: dir }).stdout;
    expect(suggested).toContain('rm -f /etc/apt/apt.conf.d/docker-clean'); // apt-keep-downloads' suggested fix
    expect(cli(['--no-apply-suggested', 'Dockerfile'], { cwd: dir }).stdout).toBe(
      APT_INSTALL.replace('/var/cache/apt', '/var/cache/apt,sharing=locked'),
    );
    expect(cli(['--no-config', '--apply-suggested', 'Dockerfile'], { cwd: dir }).stdout).toBe(suggested);
  });

  const invalid: [string, string, string, RegExp][] = [
    [
      'an unknown key',
      '.dfrewrite.json',
      '{"rule": {}}',
      /\.dfrewrite\.json: rule: unknown key "rule" \(allowed: \$schema, rules, applySuggested\)/,
    ],
    [
      'an unknown rule',
      '.dfrewrite.json',
      '{"rules": {"cache-mount-sharin": "off"}}',
      /rules: unknown rule "cache-mount-sharin" \(known: cache-mount-sharing, uv-emulated-bytecode/,
    ],
    [
      'a bad value',
      '.dfrewrite.yaml',
      'rules:\n  cache-mount-sharing: false\n',
      /\.dfrewrite\.yaml: rules\.cache-mount-sharing: must be "on", "off" or an object \{ enabled, options \}, not boolean/,
    ],
    [
      'a misspelt value',
      '.dfrewrite.yaml',
      'rules:\n  cache-mount-sharing: of\n',
      /rules\.cache-mount-sharing: "of" is not allowed \(allowed: "on", "off" or an object/,
    ],
    [
      'an unknown option',
      '.dfrewrite.json',
      '{"rules": {"cache-mount-sharing": {"options": {"x": 1}}}}',
      /rules\.cache-mount-sharing\.options\.x: unknown option "x" \(this rule has no options\)/,
    ],
    [
      'an unknown key in a rule',
      '.dfrewrite.json',
      '{"rules": {"cache-mount-sharing": {"enable": true}}}',
      /rules\.cache-mount-sharing\.enable: unknown key "enable" \(allowed: enabled, options\)/,
    ],
    [
      'a wrong type',
      'package.json',
      '{"dfrewrite": {"applySuggested": "yes"}}',
      /package\.json: applySuggested: must be boolean, not string/,
    ],
    ['broken JSON', '.dfrewrite.json', '{"rules": ', /\.dfrewrite\.json: not valid JSON/],
    ['broken YAML', '.dfrewrite.yaml', 'rules: [\n', /\.dfrewrite\.yaml: not valid YAML/],
    ['not an object', '.dfrewrite.yaml', '- a\n', /\(top level\): must be object, not array/],
  ];
  for (const [name, file, content, message] of invalid) {
    it(`${name}: exit 2 naming the file, the key and what is allowed; nothing is written`, () => {
      const dir = tree({ [file]: content, Dockerfile: NEEDS_FIX });
      const { code, stderr, stdout } = cli(['-i', '.'], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toContain(join(dir, file));
      expect(stdout).toBe('');
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(NEEDS_FIX);
    });
  }

  it('--config with a missing or unsupported file is exit 2', () => {
    const dir = tree({ Dockerfile: NEEDS_FIX, 'conf.js': 'export default {}', 'package.json': '{"name": "x"}' });
    expect(cli(['--config', 'missing.json', 'Dockerfile'], { cwd: dir }).stderr).toMatch(/missing\.json: no such file/);
    expect(cli(['--config', 'conf.js', 'Dockerfile'], { cwd: dir }).stderr).toMatch(
      /conf\.js: a configuration file is \.json, \.yaml or \.yml/,
    );
    expect(cli(['--config', 'package.json', 'Dockerfile'], { cwd: dir }).stderr).toMatch(
      /package\.json: has no "dfrewrite" key/,
    );
    expect(cli(['--config', 'x.json', '--no-config', 'Dockerfile'], { cwd: dir }).code).toBe(2);
  });
});

describe('the configuration in the library', () => {
  it('findConfig + toRewriteOptions give rewrite() the same selection as the CLI', async () => {
    const dir = tree({
      '.dfrewrite.yaml': 'rules:\n  cache-mount-sharing: off\napplySuggested: true\n',
      'svc/Dockerfile': UV,
    });
    const found = await findConfig(join(dir, 'svc/Dockerfile'));
    expect(found).toEqual({
      file: join(dir, '.dfrewrite.yaml'),
      config: { rules: { 'cache-mount-sharing': 'off' }, applySuggested: true },
    });
    expect(toRewriteOptions(found!.config)).toEqual({
      rules: { disable: ['cache-mount-sharing'] },
      applySuggested: true,
    });
    expect(toRewriteOptions(found!.config, { enable: ['cache-mount-sharing'], applySuggested: false })).toEqual({
      rules: { enable: ['cache-mount-sharing'] },
      applySuggested: false,
    });
    // what the library makes of a file with these options is what the CLI prints for it there
    write(dir, 'svc/apt.Dockerfile', NEEDS_FIX);
    const withConfig = rewrite(NEEDS_FIX, toRewriteOptions(found!.config)).output;
    expect(withConfig).not.toBe(rewrite(NEEDS_FIX).output);
    expect(cli(['svc/apt.Dockerfile'], { cwd: dir }).stdout).toBe(withConfig);
    expect(await loadConfigFile(join(dir, '.dfrewrite.yaml'))).toEqual(found);
  });

  it('validateConfig throws a ConfigError; every rule is accepted', () => {
    expect(() => validateConfig({ rules: { nope: 'off' } }, 'x.json')).toThrow(ConfigError);
    expect(() => validateConfig({ rules: { nope: 'off' } }, 'x.json')).toThrow(/^x\.json: rules: unknown rule "nope"/);
    const all = Object.fromEntries(allRules.map((r) => [r.id, 'off']));
    expect(validateConfig({ rules: all }, 'x.json')).toEqual({ rules: all });
  });
});
