/** Base64 without Buffer (the embedded engine has none), read as Node's Buffer reads it. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fromBase64, toBase64 } from '../../../src/frontend/gateway/bytes.js';

test('toBase64 is Buffer’s; fromBase64 reads it back with or without padding, and the URL alphabet', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40_000 }), (bytes) => {
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect([...fromBase64(text)]).toEqual([...bytes]);
      expect([...fromBase64(text.replace(/=+$/, ''))]).toEqual([...bytes]);
      expect([...fromBase64(Buffer.from(bytes).toString('base64url'))]).toEqual([...bytes]);
    }),
    { numRuns: 300 },
  );
});
