import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationError, parseEnvFile } from '../../src/cli/interpolate.js';

const vars: Record<string, string> = { SET: 'value', EMPTY: '', DIR: 'svc' };
const lookup = (name: string): string | undefined => vars[name];
const expand = (text: string, unset: 'error' | 'empty' = 'error'): string => interpolate(text, lookup, unset);

describe('Compose interpolation (compose-spec 12-interpolation.md)', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}/x', 'value/x'],
    ['a${SET}b$SET.c', 'avalueb' + 'value.c'],
    ['${SET:-d}', 'value'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${UNSET:-d}', 'd'],
    ['${SET:+r}', 'r'],
    ['${EMPTY:+r}', ''],
    ['${EMPTY+r}', 'r'],
    ['${UNSET+r}', ''],
    ['${UNSET:-${DIR}/x}', 'svc/x'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost $5 and $', 'cost $5 and $'],
    ['${SET:?must be set}', 'value'],
  ])('%s → %s', (text, expected) => {
    expect(expand(text)).toBe(expected);
  });

  it('an unset variable without a default is an error for a path, empty for a text', () => {
    expect(() => expand('${UNSET}/Dockerfile')).toThrow(new InterpolationError('variable UNSET is not set'));
    expect(() => expand('$UNSET')).toThrow(InterpolationError);
    expect(expand('RUN echo $UNSET.', 'empty')).toBe('RUN echo .');
  });

  it('a required variable that is missing, or a malformed reference, is an error', () => {
    expect(() => expand('${EMPTY:?give a dir}')).toThrow(new InterpolationError('EMPTY: give a dir'));
    expect(expand('${EMPTY?give a dir}')).toBe('');
    expect(() => expand('${UNSET?}')).toThrow(/UNSET: required variable is not set/);
    expect(() => expand('${SET')).toThrow(/unterminated/);
    expect(() => expand('${SET/a/b}')).toThrow(/invalid/);
    expect(() => expand('${}')).toThrow(/invalid/);
  });
});

describe('.env files', () => {
  const env = (name: string): string | undefined => ({ HOME_DIR: '/home/u' })[name];

  it('reads KEY=VALUE lines with comments, export, quotes, escapes and interpolation', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=plain value # comment',
      'HASH=a#b',
      'export EXPORTED=yes',
      "SINGLE='$PLAIN \\n kept'",
      'DOUBLE="${PLAIN}\\tx # not a comment"',
      'MULTI="one',
      'two"',
      'FROM_ENV=${HOME_DIR}/src',
      'SPACED = around ',
      'NOVALUE',
      'EMPTY=',
    ].join('\n');
    expect(Object.fromEntries(parseEnvFile(text, env))).toEqual({
      PLAIN: 'plain value',
      HASH: 'a#b',
      EXPORTED: 'yes',
      SINGLE: '$PLAIN \\n kept',
      DOUBLE: 'plain value\tx # not a comment',
      MULTI: 'one\ntwo',
      FROM_ENV: '/home/u/src',
      SPACED: 'around',
      EMPTY: '',
    });
  });

  it('interpolates from the environment before the variables above (compose-go dotenv.GetEnvFromFile)', () => {
    const text = 'HOME_DIR=/from/file\nSRC=${HOME_DIR}/src\nOWN=x\nALSO=${OWN}y\n';
    expect(Object.fromEntries(parseEnvFile(text, env))).toEqual({
      HOME_DIR: '/from/file',
      SRC: '/home/u/src',
      OWN: 'x',
      ALSO: 'xy',
    });
  });
});
