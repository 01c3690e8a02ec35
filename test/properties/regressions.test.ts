/**
 * Regression fixtures (test/fixtures/regressions/*.Dockerfile, written by `npm run fuzz` or by
 * hand) through the same properties as the generated files, with and without suggested fixes; a
 * fixture named `valid-*` must also not be refused. Below them, engine bugs whose symptom the generic properties cannot see, with
 * the output BuildKit's reading of the file calls for.
 */
import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { checkCase } from './check.js';
import { listFixtures, mustRewrite, readFixture } from './fixtures.js';

const fixtures = listFixtures();

describe('regression fixtures', () => {
  it('the folder is readable', () => {
    expect(Array.isArray(fixtures)).toBe(true);
  });

  for (const name of fixtures) {
    it(name, () => {
      checkCase(readFixture(name), mustRewrite(name));
    });
    it(`${name} (suggested fixes applied too)`, () => {
      checkCase(readFixture(name), mustRewrite(name), { applySuggested: true });
    });
  }
});

describe('engine bugs with a known expected output', () => {
  // BuildKit's line-continuation regex is `([^\\])\\[ \t]*$`: a line ending in a doubled escape
  // character does not continue, so the second RUN is an instruction of its own and its apt
  // cache mount needs sharing=locked. (Found 2026-11-25: the engine, reading instructions with
  // dockerfile-ast, joined the two lines into one RUN and left the mount alone.)
  it('a line ending in a doubled escape character does not swallow the next instruction', () => {
    const source = 'FROM alpine\nRUN echo x \\\\\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
    expect(rewrite(source).output).toBe(
      'FROM alpine\nRUN echo x \\\\\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update\n',
    );
  });

  // Two platform-args fixes carry one identical edit (ARG TARGETARCH); cache-mount-sharing and
  // cache-mount-owner append at the same point, so the owner fix waits for the second pass.
  // (Found 2026-11-25: the runner's OffsetMapper counted the shared edit twice, so the second
  // pass's finding mapped back 15 characters too early, to 3:10, was added as a new finding, and
  // the first pass's finding for that mount stayed fixed=false.)
  it('a finding fixed in a later pass keeps its range when earlier fixes shared an edit', () => {
    const source =
      'FROM alpine\nUSER 1000\nRUN echo $TARGETARCH\nRUN echo $TARGETARCH\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
    const result = rewrite(source);
    expect(result.output).toBe(
      'FROM alpine\nUSER 1000\nARG TARGETARCH\nRUN echo $TARGETARCH\nRUN echo $TARGETARCH\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked,uid=1000 apt-get update\n',
    );
    const owner = result.findings.filter((f) => f.ruleId === 'cache-mount-owner');
    expect(owner.map((f) => ({ range: f.range, fixed: f.fixed }))).toEqual([
      { range: { start: { line: 4, character: 4 }, end: { line: 4, character: 44 } }, fixed: true },
    ]);
  });
});
