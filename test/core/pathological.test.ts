import { describe, expect, it } from 'vitest';
import { DockerfileError } from '../../src/core/errors.js';
import { rewrite } from '../../src/core/rewrite.js';

/**
 * Adversarial lines for every regular expression and hand-written scanner in the engine: each
 * must be handled (rewritten or refused with a DockerfileError) within the test's time limit.
 */
const N = 100_000;
const cases: [string, string][] = [
  [
    'a directive line of spaces',
    `FROM x\n# dfrewrite: disable=${' '.repeat(N)}!\nRUN --mount=type=cache,target=/var/cache/apt true\n`,
  ],
  [
    'a directive with a huge rule list',
    `FROM x\n# dfrewrite: ignore=${'a,'.repeat(N)}\nRUN --mount=type=cache,target=/var/cache/apt true\n`,
  ],
  ['a parser-directive-like first line', `#${' '.repeat(N)}escape${' '.repeat(N)}=${' '.repeat(N)}x\nFROM x\n`],
  ['a mount with a huge CSV', `FROM x\nRUN --mount=type=cache,${'a=b,'.repeat(N)}target=/var/cache/apt true\n`],
  ['unbalanced quotes in a flag', `FROM x\nRUN --mount="${'"'.repeat(N)}type=cache,target=/var/cache/apt true\n`],
  ['a quoted CSV field that never ends', `FROM x\nRUN --mount='type=cache,"${'x'.repeat(N)}' true\n`],
  ['many heredoc openers', `FROM x\nRUN ${'<<A '.repeat(2000)}\n${'A\n'.repeat(2000)}`],
  [
    'an unterminated heredoc after a long line',
    `FROM x\nRUN --mount=type=cache,target=/var/cache/apt <<EOF ${'x'.repeat(N)}\n`,
  ],
  ['continuations without end', `FROM x\nRUN --mount=type=cache,target=/var/cache/apt ${'\\\n'.repeat(N)}true\n`],
  [
    'a shell line of operators and quotes',
    `FROM x\nENV UV_COMPILE_BYTECODE=1\nRUN ${'uv sync && "\'$(`'.repeat(N / 10)}\n`,
  ],
  ['a long variable chain', `FROM x\nENV UV_COMPILE_BYTECODE=\${${'A:-${'.repeat(N / 10)}1\nRUN uv sync\n`],
  ['a platform flag of slashes', `FROM --platform=${'a/'.repeat(N)} x\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync\n`],
  ['a shebang of spaces', `FROM x\nENV UV_COMPILE_BYTECODE=1\nRUN <<EOF\n#!${' '.repeat(N)}x\nuv sync\nEOF\n`],
  ['a very long instruction line', `FROM x\nRUN ${'--mount=type=cache,target=/var/cache/apt '.repeat(N / 10)}true\n`],
];

describe('pathological input never hangs the engine', () => {
  for (const [name, source] of cases) {
    it(name, { timeout: 20_000 }, () => {
      try {
        const result = rewrite(source);
        expect(rewrite(result.output).output).toBe(result.output);
      } catch (error) {
        expect(error).toBeInstanceOf(DockerfileError);
      }
    });
  }
});
