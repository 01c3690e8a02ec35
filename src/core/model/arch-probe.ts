/**
 * Commands that print the architecture they run on, with the name they give for amd64 / arm64.
 * Only Debian's names equal TARGETARCH's (for amd64, arm64, riscv64, s390x; not for 386 = i386,
 * arm = armhf/armel, ppc64le = ppc64el, mips64le = mips64el).
 */
export const ARCH_PROBES: { pattern: string; names: string; exact: boolean }[] = [
  { pattern: 'uname[ \\t]+(?:-[a-z]*m[a-z]*|--machine)', names: 'x86_64 / aarch64', exact: false },
  { pattern: 'arch', names: 'x86_64 / aarch64', exact: false },
  { pattern: 'dpkg[ \\t]+--print-architecture', names: 'amd64 / arm64', exact: true },
  { pattern: 'apk[ \\t]+--print-arch', names: 'x86_64 / aarch64', exact: false },
];
/** A probe run as a command substitution (`$(uname -m)`, `` `arch` ``) or as a command of its own. */
export const ARCH_PROBE = new RegExp(
  `(\\$\\([ \\t]*|\`[ \\t]*|(?<=^|[;&|\\n({][ \\t]*|^[ \\t]*))(?:/usr)?(?:/s?bin/)?(${ARCH_PROBES.map((p) => `(?:${p.pattern})`).join('|')})(?=[ \\t]*(?:[)\`;&|\\n>]|$))`,
  'g',
);

/** Whether a script runs one of the probes (comments not excluded: a false alarm only keeps a stage where it is). */
export const probesArchitecture = (script: string): boolean => [...script.matchAll(ARCH_PROBE)].length > 0;
