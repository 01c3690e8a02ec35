/**
 * The engine and its rules must not depend on Node: bundled for a neutral platform (no Node
 * built-ins can be resolved there: esbuild fails on `node:path`), as the embedded frontend is.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../properties/fixtures.js';

describe('the engine bundles for a platform without Node', () => {
  it('src/core and src/rules resolve no Node built-in', async () => {
    const result = await build({
      absWorkingDir: REPO,
      entryPoints: ['src/core/rewrite.ts', 'src/rules/index.ts'],
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      write: false,
      outdir: 'out',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('src/rules/'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('node:') || !/^(src|node_modules)\//.test(path))).toEqual([]);
  });
});
