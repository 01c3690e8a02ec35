// The uv guard's text, as the uv-emulated-bytecode rule writes it, for the table tests.

/** The guard for a stage that runs on the target platform. */
export const G =
  'dfrewrite_uv_flags=; if [ -n "${BUILDARCH:-}" ] && [ "${TARGETARCH:-}" != "$BUILDARCH" ] && [ "$BUILDARCH/${TARGETARCH:-}" != amd64/386 ]; then export UV_COMPILE_BYTECODE=0; dfrewrite_uv_flags=--no-compile-bytecode; fi;';
/** The guard for a RUN with `UV_COMPILE_BYTECODE=1` on a command. */
export const G_INLINE = G.replace('UV_COMPILE_BYTECODE=0;', 'UV_COMPILE_BYTECODE=0; dfrewrite_uv_bytecode=0;');
/** The guard for a stage pinned to linux/arm64. */
export const G_ARM64 =
  'dfrewrite_uv_flags=; if [ -n "${BUILDARCH:-}" ] && [ "arm64" != "$BUILDARCH" ] && [ "$BUILDARCH/arm64" != amd64/386 ]; then export UV_COMPILE_BYTECODE=0; dfrewrite_uv_flags=--no-compile-bytecode; fi;';
/** Where the guard's flag goes on a uv call. */
export const F = '$dfrewrite_uv_flags';
