/**
 * BuildKit starts a frontend with its image's environment, entrypoint and working directory only:
 * the image's USER is ignored and the frontend runs as root (measured: uid 0). dfrewrite needs no
 * privilege at all (it talks over its stdin/stdout and an abstract unix socket), so it gives root
 * up before it reads anything of the build.
 */

/** The default: an unprivileged id no image user normally has (distroless' `nonroot`). */
const DEFAULT_USER = '65532:65532';

export interface Identity {
  uid: number;
  gid: number;
  groups: number[];
}

/** What `process` offers for this (absent on Windows, hence optional). */
export interface ProcessIds {
  getuid?: () => number;
  getgid?: () => number;
  getgroups?: () => number[];
  setuid?: (id: number) => void;
  setgid?: (id: number) => void;
  setgroups?: (groups: number[]) => void;
}

/**
 * As root, switches to `DFREWRITE_USER` (`UID[:GID]`, numeric; default 65532:65532; `0` or
 * `root` keeps root): supplementary groups, then gid, then uid. Returns what was done, for the log.
 * Where the kernel refuses (the ids are not mapped in a rootless BuildKit's user namespace, or
 * the container has no CAP_SETUID), uid 0 is not the host's root anyway: it says so and goes on.
 */
export function dropRoot(env: NodeJS.ProcessEnv, proc: ProcessIds = process): string {
  if (!proc.getuid || !proc.setuid || !proc.setgid || proc.getuid() !== 0) return 'not root';
  const wanted = (env.DFREWRITE_USER ?? '').trim() || DEFAULT_USER;
  if (wanted === '0' || wanted === 'root' || wanted === '0:0') return 'kept root (DFREWRITE_USER)';
  const match = /^(\d+)(?::(\d+))?$/.exec(wanted);
  if (!match) throw new Error(`DFREWRITE_USER=${wanted}: expected UID or UID:GID, numeric`);
  const uid = Number(match[1]);
  const gid = Number(match[2] ?? match[1]);
  try {
    proc.setgroups?.([gid]);
    proc.setgid(gid);
    proc.setuid(uid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'EPERM') return `kept uid 0: switching to ${uid}:${gid} failed (${code})`;
    throw error;
  }
  if (proc.getuid() !== uid || (proc.getgid && proc.getgid() !== gid)) {
    throw new Error(`could not switch to ${uid}:${gid}`);
  }
  return `running as ${uid}:${gid}`;
}

export function identity(proc: ProcessIds = process): Identity {
  return { uid: proc.getuid?.() ?? -1, gid: proc.getgid?.() ?? -1, groups: proc.getgroups?.() ?? [] };
}
