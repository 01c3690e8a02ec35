import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/core/model/model.js';
import { mountTarget, variableAt } from '../../src/core/model/variables.js';
import { ARG_SCOPING } from '../helpers/arg-scoping.js';

const FIXTURE = join(import.meta.dirname, '..', 'e2e', 'fixtures', 'arg-scoping');

/** The value the model gives where the stage's last RUN (or, for `<stage> mount`, its first cache mount) is. */
function modelled(file: string, stageName: string, name: string): string | null | undefined {
  const model = buildModel(readFileSync(join(FIXTURE, file), 'utf8'));
  const [name0, mount] = stageName.split(' ');
  const stage = model.stages.find((s) => s.name === name0)!;
  if (mount) {
    const run = stage.runs.find((r) => r.mounts.length > 0)!;
    return mountTarget(run.node, run.mounts[0]!);
  }
  return variableAt(stage.runs.at(-1)!.node, name);
}

describe('ARG scoping: the model gives what BuildKit gave (test/helpers/arg-scoping.ts)', () => {
  for (const row of ARG_SCOPING) {
    it(`${row.file}, ${row.stage}: ${row.name}`, () => {
      expect(modelled(row.file, row.stage, row.name)).toBe(row.model);
    });
  }

  it('a row whose engines differ says from which BuildKit version the current value holds', () => {
    // the e2e test runs on any builder (a docker-container BuildKit of any version): it needs the cut
    for (const row of ARG_SCOPING.filter((r) => r.buildkit08 !== r.current))
      expect({ row: `${row.stage}/${row.name}`, since: row.since }).toEqual({
        row: `${row.stage}/${row.name}`,
        since: expect.any(Number),
      });
  });

  it('the model agrees with every engine where the Dockerfile decides the value', () => {
    // null: declared without a value, so BuildKit (or --build-arg) decides; a mount is the 0.9+ view
    for (const row of ARG_SCOPING.filter((r) => typeof r.model === 'string' && !r.stage.endsWith('mount')))
      expect([row.buildkit08, row.current]).toEqual([row.model, row.model]);
  });
});

describe('ARG scoping: defaults and bare redeclarations', () => {
  const at = (source: string, name: string) => {
    const model = buildModel(source);
    return variableAt(model.stages.at(-1)!.instructions.at(-1)!, name);
  };

  it('a global default may read an earlier global; a stage default reads what the stage has', () => {
    const source = [
      'ARG ROOT=/opt',
      'ARG CACHE=${ROOT}/cache',
      'FROM scratch',
      'ARG CACHE',
      'ARG ROOT',
      'ARG APT=$ROOT/apt',
      'RUN true',
    ].join('\n');
    expect(at(source, 'CACHE')).toBe('/opt/cache');
    expect(at(source, 'APT')).toBe('/opt/apt');
  });

  it('a global not redeclared in the stage is not in it', () => {
    expect(at('ARG A=x\nFROM scratch\nRUN true\n', 'A')).toBeUndefined();
  });

  it('an ARG default never beats an ENV of the same name', () => {
    expect(at('ARG A=x\nFROM scratch\nENV A=y\nARG A\nRUN true\n', 'A')).toBe('y');
  });
});
