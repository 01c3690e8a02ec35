/** The frontend's POSIX paths (the embedded engine has no node:path) against Node's path.posix. */
import { posix } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { dirname, joinPaths, normalizePath } from '../../../src/frontend/gateway/paths.js';

const segment = fc.constantFrom('a', 'b.c', '.', '..', '', 'Dockerfile');
const path = fc.array(segment, { maxLength: 6 }).map((parts) => parts.join('/'));
/** Paths as the frontend gives dirname: no repeated slashes. */
const single = path.filter((p) => !p.includes('//'));

test('normalizePath and joinPaths are path.posix.normalize and join', () => {
  fc.assert(
    fc.property(path, path, (a, b) => {
      expect(normalizePath(a)).toBe(posix.normalize(a));
      expect(joinPaths(a, b)).toBe(posix.join(a, b));
      expect(joinPaths('/', a)).toBe(posix.join('/', a));
    }),
    { numRuns: 2000 },
  );
});

test('dirname is path.posix’s, on paths without repeated slashes', () => {
  fc.assert(
    fc.property(single, (p) => {
      expect(dirname(p)).toBe(posix.dirname(p));
    }),
    { numRuns: 2000 },
  );
});
