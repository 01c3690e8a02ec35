import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';

const both = { rules: { enable: ['cache-mount-sharing', 'uv-emulated-bytecode'] } };
const APT = 'RUN --mount=type=cache,target=/var/cache/apt apt-get update';
const UV = 'RUN uv sync';

describe('in-file directives', () => {
  it('off leaves the file alone; below # syntax=, # escape= and # check= lines too', () => {
    const source = `# syntax=docker/dockerfile:1\n# escape=\\\n# check=skip=all\n# dfrewrite: off\nFROM debian\n${APT}\n`;
    expect(rewrite(source, both)).toMatchObject({ output: source, changed: false, findings: [] });
  });

  it('disable= turns rules off for the file; enable= turns on what the caller disabled', () => {
    const source = `# dfrewrite: disable=cache-mount-sharing\nFROM debian\nENV UV_COMPILE_BYTECODE=1\n${APT}\n${UV}\n`;
    expect(rewrite(source, both).findings.map((f) => f.ruleId)).toEqual(['uv-emulated-bytecode']);
    const enabled = `# dfrewrite: enable=cache-mount-sharing\nFROM debian\n${APT}\n`;
    expect(rewrite(enabled, { rules: { disable: ['cache-mount-sharing'] } }).changed).toBe(true);
  });

  it('ignore= on the comment lines right above an instruction leaves that instruction alone', () => {
    const source = `FROM debian\n# dfrewrite: ignore=cache-mount-sharing\n# (we lock with a file of our own)\n${APT}\n${APT}\n`;
    const result = rewrite(source, both);
    expect(result.output).toBe(
      `FROM debian\n# dfrewrite: ignore=cache-mount-sharing\n# (we lock with a file of our own)\n${APT}\n${APT.replace('/apt ', '/apt,sharing=locked ')}\n`,
    );
    expect(result.findings.map((f) => f.range.start.line + 1)).toEqual([5]);
    expect(result.suppressions).toEqual([{ line: 2, rules: ['cache-mount-sharing'], used: true }]);
  });

  it('ARG lines another rule adds go above the comments over an instruction, so its ignore still holds', () => {
    const source = `FROM debian\n# dfrewrite: ignore=cache-mount-sharing\n${APT} $TARGETARCH\n`;
    const result = rewrite(source, { rules: { enable: ['cache-mount-sharing', 'platform-args'] } });
    expect(result.output).toBe(
      `FROM debian\nARG TARGETARCH\n# dfrewrite: ignore=cache-mount-sharing\n${APT} $TARGETARCH\n`,
    );
    expect(rewrite(result.output).output).toBe(result.output);
  });

  it('a bare ignore covers every rule; one that suppresses nothing is marked unused', () => {
    const source = `FROM debian\nENV UV_COMPILE_BYTECODE=1\n# dfrewrite: ignore\n${APT} && uv sync\n# dfrewrite: ignore=uv-emulated-bytecode\nRUN echo nothing to see\n`;
    const result = rewrite(source, both);
    expect(result.changed).toBe(false);
    expect(result.suppressions).toEqual([
      { line: 3, rules: [], used: true },
      { line: 5, rules: ['uv-emulated-bytecode'], used: false },
    ]);
  });

  it('an unknown rule, an unreadable directive or an ignore above nothing is reported with its line', () => {
    const source = `FROM debian\n# dfrewrite: disable=no-such-rule\n# dfrewrite: please\n# dfrewrite: ignore\n\n${APT}\n`;
    const result = rewrite(source, both);
    expect(
      result.findings.filter((f) => f.ruleId === 'dfrewrite-directive').map((f) => [f.range.start.line + 1, f.message]),
    ).toEqual([
      [2, expect.stringContaining('unknown rule "no-such-rule"')],
      [3, expect.stringContaining('unreadable dfrewrite directive')],
      [4, expect.stringContaining('not right above an instruction')],
    ]);
    expect(result.changed).toBe(true);
  });

  it("BuildKit parser directives are not dfrewrite directives, and ours are not BuildKit's", () => {
    const source = `# dfrewrite=off\nFROM debian\n${APT}\n`;
    expect(rewrite(source, both).changed).toBe(true);
  });
});
