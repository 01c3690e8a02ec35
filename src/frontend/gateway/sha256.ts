/**
 * SHA-256, for the digests of the LLB vertices the frontend makes: native/main.c's in the embedded
 * binary (quickjs-ng has no crypto, and SHA-256 written in JavaScript takes it about 2 s per MiB),
 * node:crypto's on Node (loaded when first needed: `--call` subrequests make no definition).
 */

/** Set by native/main.c. */
declare const dfrewriteSha256: ((data: Uint8Array) => string) | undefined;

/** The hex digest of `data`. */
export function sha256(data: Uint8Array): string {
  if (typeof dfrewriteSha256 === 'function') return dfrewriteSha256(data);
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex');
}
