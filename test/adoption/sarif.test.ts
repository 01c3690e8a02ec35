import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import draft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { ruleDocUrl } from '../../src/core/links.js';
import { allRules } from '../../src/rules/index.js';
import { cli, tree } from './helpers.js';

const FIXTURES = 'test/adoption/fixtures';
const require = createRequire(import.meta.url);

/**
 * The SARIF 2.1.0 JSON Schema as OASIS published it (draft-04), from the npm package
 * @microsoft/jest-sarif (the schema file only: we validate with ajv, not jest).
 */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  const ajv = new draft04.default({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

function sarifOf(args: string[], cwd = process.cwd()) {
  const run = cli(['--format', 'sarif', ...args], { cwd });
  return { run, log: JSON.parse(run.stdout) };
}

/** Line/column (1-based, UTF-16 columns) → offset in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

function applySarifFixes(text: string, results: any[]): string {
  const replacements = results
    .filter((r) => r.properties?.fixed)
    .flatMap((r) => r.fixes[0].artifactChanges[0].replacements)
    .map((rep: any): { start: number; end: number; text: string } => ({
      start: offsetOf(text, rep.deletedRegion.startLine, rep.deletedRegion.startColumn),
      end: offsetOf(text, rep.deletedRegion.endLine, rep.deletedRegion.endColumn),
      text: rep.insertedContent?.text ?? '',
    }))
    .sort((a, b) => b.start - a.start);
  for (const r of replacements) text = text.slice(0, r.start) + r.text + text.slice(r.end);
  return text;
}

describe('--format sarif', () => {
  const { run, log } = sarifOf(['--check', FIXTURES]);

  it('is a valid SARIF 2.1.0 log (the OASIS JSON Schema, with ajv)', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const validate = sarifValidator();
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // and the validator does reject a broken log
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'bogus';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e: { instancePath: string }) => e.instancePath)).toEqual(
      expect.arrayContaining([
        '/runs/0/results/0/level',
        '/runs/0/results/0/locations/0/physicalLocation/region/startLine',
      ]),
    );
  });

  it('describes the tool and every rule, with help links from ruleDocUrl', () => {
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('dfrewrite');
    expect(driver.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    for (const rule of allRules) {
      const descriptor = driver.rules.find((r: any) => r.id === rule.id);
      expect(descriptor, rule.id).toMatchObject({
        shortDescription: { text: rule.summary },
        fullDescription: { text: expect.stringContaining(rule.fixLevel) },
        helpUri: ruleDocUrl(rule.id),
      });
    }
    for (const result of log.runs[0].results) expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('places results at the findings, relative to %SRCROOT%', () => {
    const result = log.runs[0].results.find((r: any) =>
      r.locations[0].physicalLocation.artifactLocation.uri.endsWith('apt.Dockerfile'),
    );
    expect(result).toMatchObject({
      ruleId: 'cache-mount-sharing',
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: `${FIXTURES}/apt.Dockerfile`, uriBaseId: 'SRCROOT' },
            region: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 45 },
          },
        },
      ],
    });
    expect(log.runs[0].originalUriBaseIds.SRCROOT.uri).toBe(`file://${process.cwd()}/`);
  });

  it("turns each fix's offsets into replacements: applying them to the original gives dfrewrite's output", () => {
    let compared = 0;
    for (const name of readdirSync(FIXTURES)) {
      const path = `${FIXTURES}/${name}`;
      const results = log.runs[0].results.filter(
        (r: any) => r.locations[0].physicalLocation.artifactLocation.uri === path,
      );
      const source = readFileSync(path, 'utf8');
      const output = cli(['--no-config', path]).stdout;
      expect(
        results.filter((r: any) => r.properties.fixed).every((r: any) => r.fixes?.length === 1),
        name,
      ).toBe(true);
      expect(applySarifFixes(source, results), name).toBe(output);
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
    const suggested = log.runs[0].results.find((r: any) => r.properties.fixLevel === 'suggested');
    expect(suggested.fixes[0].description.text).toMatch(/--apply-suggested/);
  });

  it('a file that cannot be rewritten is a failed tool notification', () => {
    const dir = tree({ Dockerfile: 'FROM x\nBOGUS y\n' });
    const { run: bad, log: badLog } = sarifOf(['Dockerfile'], dir);
    expect(bad.code).toBe(2);
    expect(sarifValidator()(badLog)).toBe(true);
    expect(badLog.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: expect.stringMatching(/line 2: unknown instruction "BOGUS"/) },
          locations: [{ physicalLocation: { region: { startLine: 2 } } }],
        },
      ],
    });
  });
});

describe('--format sarif: what was not checked', () => {
  it('a skipped file or Compose service is a tool notification of level note; the run still succeeds', () => {
    const dir = tree({
      Dockerfile_notes: 'Remember to pin the base image.\n',
      'compose.yaml': 'services:\n  remote:\n    build: https://github.com/example/app.git\n',
    });
    const { run, log } = sarifOf(['--check', '.'], dir);
    expect(run.code).toBe(0);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].invocations[0]).toEqual({
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'note',
          message: { text: expect.stringMatching(/^service "remote": remote build context/) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'compose.yaml', uriBaseId: 'SRCROOT' },
                region: { startLine: 2 },
              },
            },
          ],
        },
        {
          level: 'note',
          message: { text: expect.stringMatching(/^skipped: line 1: unknown instruction "Remember"/) },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'Dockerfile_notes', uriBaseId: 'SRCROOT' } } }],
        },
      ],
    });
  });
});

/**
 * Microsoft's SARIF Multitool (npm: @microsoft/sarif-multitool, a self-contained .NET program,
 * ~100 MB, so not a devDependency): run when installed, as CI does:
 *   npm install --prefix /opt/sarif-multitool @microsoft/sarif-multitool@5.7.0
 * or when SARIF_MULTITOOL names its Sarif.Multitool executable.
 */
const MULTITOOL =
  process.env.SARIF_MULTITOOL ??
  ['/opt/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool'].find((p) => existsSync(p));

describe.skipIf(!MULTITOOL)('SARIF Multitool validate', () => {
  it('finds no error in our log (and uses the OASIS schema)', () => {
    try {
      accessSync(MULTITOOL!, constants.X_OK);
    } catch {
      chmodSync(MULTITOOL!, 0o755); // npm 11 may skip the package's postinstall chmod
    }
    const dir = tree();
    const input = join(dir, 'dfrewrite.sarif');
    const output = join(dir, 'validation.sarif');
    writeFileSync(input, cli(['--format', 'sarif', '--check', FIXTURES]).stdout);
    const schema = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const run = spawnSync(
      MULTITOOL!,
      ['validate', input, '--json-schema', schema, '--output', output, '--level', 'Error;Warning;Note'],
      {
        encoding: 'utf8',
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
        timeout: 120_000,
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(output, 'utf8')).runs[0].results ?? [];
    const problems = findings.filter((r: any) => r.level === 'error' || r.level === 'warning');
    expect(problems.map((r: any) => `${r.level} ${r.ruleId}: ${JSON.stringify(r.message)}`)).toEqual([]);
    // The Multitool says nothing at all about a log it could not read: its notes (advice such as
    // SARIF2011 "no contextRegion") show that it did read ours and ran its rules over it.
    expect(findings.length).toBeGreaterThan(0);
  });
});
if (!MULTITOOL)
  console.log(
    'SARIF Multitool not installed: skipped (npm install --prefix /opt/sarif-multitool @microsoft/sarif-multitool@5.7.0)',
  );
