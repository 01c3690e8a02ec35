import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/core/parse/flags.js';
import { readLogicalLine } from '../../src/core/parse/logical-line.js';
import { cleanPath, parseMount } from '../../src/core/parse/mount.js';

/** Parses the flags of a one-instruction source and returns its mounts. */
function mountsOf(source: string, escape = '\\') {
  const line = readLogicalLine(source, 0, source.length, escape);
  const command = parseCommandLine(line, escape);
  return { command, mounts: command.flags.filter((f) => f.name === 'mount').map((f) => parseMount(f)) };
}

describe('the --mount parser follows BuildKit', () => {
  it('defaults: type bind, cache id = cleaned target, sharing unset', () => {
    const { mounts } = mountsOf('RUN --mount=target=/x --mount=type=cache,target=/var/cache/apt/ true');
    expect(mounts[0]).toMatchObject({ type: 'bind', target: '/x', sharing: undefined });
    expect(mounts[1]).toMatchObject({ type: 'cache', cacheId: '/var/cache/apt' });
  });

  it('an explicit id is used as written, not cleaned', () => {
    const { mounts } = mountsOf('RUN --mount=type=cache,id=/var/cache/apt/,target=/y true');
    expect(mounts[0]!.cacheId).toBe('/var/cache/apt/');
  });

  it('keys are case-insensitive, type and sharing values too; aliases map to their key', () => {
    const { mounts } = mountsOf('RUN --mount=TYPE=Cache,Dst=/a,SHARING=Locked,SRC=b,RO true');
    expect(mounts[0]).toMatchObject({ type: 'cache', target: '/a', sharing: 'locked' });
    expect(mounts[0]!.get('source')?.value).toBe('b');
    expect(mounts[0]!.get('readonly')).toMatchObject({ key: 'readonly', value: null });
    expect(mounts[0]!.get('destination')?.value).toBe('/a');
  });

  it('a value keeps everything after the first =', () => {
    const { mounts } = mountsOf('RUN --mount=type=secret,id=a=b,target=/s true');
    expect(mounts[0]!.get('id')?.value).toBe('a=b');
  });

  it('quotes are removed from the word before CSV, as extractBuilderFlags does', () => {
    const { mounts, command } = mountsOf('RUN --mount="type=cache,target=/a b" --mount=type=cache,target=\'/c\' echo');
    expect(mounts.map((m) => m!.target)).toEqual(['/a b', '/c']);
    expect(command.flags[0]!.appendAt).toBe('RUN --mount="type=cache,target=/a b'.length);
    expect(command.flags[1]!.appendAt).toBe(command.flags[1]!.end);
  });

  it('CSV quoting that survives the word level is honoured; a bare quote is rejected', () => {
    const { mounts } = mountsOf(`RUN --mount='type=cache,"target=/a,b"' --mount='type=cache,tar"get=/x' true`);
    expect(mounts[0]!.target).toBe('/a,b');
    expect(mounts[1]).toBeUndefined();
  });

  it('a word split by a continuation is joined; an indented continuation ends the word', () => {
    const joined = mountsOf('RUN --mount=type=cache,\\\ntarget=/a true');
    expect(joined.mounts[0]!.target).toBe('/a');
    const split = mountsOf('RUN --mount=type=cache,\\\n  target=/a true');
    expect(split.mounts[0]!.target).toBeUndefined();
  });

  it('option spans point at the source, across continuations', () => {
    const source = 'RUN --mount=type=cache,\\\nsharing=shared true';
    const { mounts } = mountsOf(source);
    const sharing = mounts[0]!.get('sharing')!;
    expect(source.slice(sharing.start, sharing.end)).toBe('sharing=shared');
  });

  it('flags end at the first word that is not one, or at --', () => {
    expect(mountsOf('RUN echo --mount=type=cache,target=/a').mounts).toEqual([]);
    const { command } = mountsOf('RUN --network=none -- --mount=type=cache,target=/a');
    expect(command.flags.map((f) => f.name)).toEqual(['network']);
  });

  it('the escape directive sets the escape character inside flag words', () => {
    const { mounts } = mountsOf('RUN --mount=type=cache,target=/a`,b true', '`');
    // The backtick keeps the comma in the word, but the CSV still splits there: "b" is its own field.
    expect(mounts[0]!.target).toBe('/a');
    expect(mounts[0]!.options.map((o) => o.key)).toEqual(['type', 'target', 'b']);
  });

  it('cleanPath matches Go path.Clean for absolute paths', () => {
    expect(cleanPath('/var/cache/apt/')).toBe('/var/cache/apt');
    expect(cleanPath('/var//cache/./apt/../apt')).toBe('/var/cache/apt');
    expect(cleanPath('/')).toBe('/');
    expect(cleanPath('//a/b/../../..')).toBe('/');
    expect(cleanPath('/../abc')).toBe('/abc');
  });

  it('cleanPath matches Go path.Clean for relative and empty paths', () => {
    expect(cleanPath('')).toBe('.');
    expect(cleanPath('.')).toBe('.');
    expect(cleanPath('abc/')).toBe('abc');
    expect(cleanPath('abc/def/../..')).toBe('.');
    expect(cleanPath('abc/./../def')).toBe('def');
    expect(cleanPath('abc/../../../def')).toBe('../../def');
  });
});
