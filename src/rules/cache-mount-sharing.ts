import { appendMountOptions } from '../core/fix/edits.js';
import type { InstructionNode } from '../core/model/model.js';
import { cacheMountId, expandVariables, mountTarget, variablesAt } from '../core/model/variables.js';
import type { Mount } from '../core/parse/mount.js';
import { cleanPath, mentionsCacheMount } from '../core/parse/mount.js';
import type { Rule } from '../core/rule.js';

/** A package manager whose cache breaks when parallel builds share it, and why. */
interface Tool {
  name: string;
  /** Completes "… is shared by default, and …". */
  why: string;
}

const apt: Tool = { name: 'apt', why: "parallel users fail on apt's lock" };
const cargo: Tool = {
  name: 'cargo',
  why: "cargo's lock ($CARGO_HOME/.package-cache) is outside it, so parallel users unpack the same crates at once (.cargo-ok: File exists)",
};
const noCoordination = (name: string): Tool => ({
  name,
  why: `${name} does not coordinate with other containers using it, so parallel users corrupt it`,
});
const dnf = noCoordination('dnf/yum');
const zypper = noCoordination('zypper');
const pacman = noCoordination('pacman');
const apk = noCoordination('apk');

/**
 * Cache directories whose package manager either takes a lock inside them and fails at once when
 * another process holds it (apt), or keeps no lock that works across containers. Two builds (or
 * two parallel stages, or two platforms) sharing such a cache break each other.
 */
const LOCKING_CACHE_DIRS = new Map<string, Tool>([
  ['/var/cache/apt', apt],
  ['/var/cache/apt/archives', apt],
  ['/var/lib/apt', apt],
  ['/var/lib/apt/lists', apt],
  ['/var/cache/dnf', dnf],
  ['/var/cache/yum', dnf],
  ['/var/cache/zypp', zypper],
  ['/var/cache/pacman', pacman],
  ['/var/cache/pacman/pkg', pacman],
  ['/etc/apk/cache', apk],
  ['/var/cache/apk', apk],
]);

/** Where cargo keeps its home when CARGO_HOME is not set by the Dockerfile: the official Rust images' value. */
const DEFAULT_CARGO_HOMES = ['/usr/local/cargo', '${CARGO_HOME}'];
/** `~/.cargo` of any user (`/root/.cargo`, `/home/app/.cargo`, `$HOME/.cargo`). */
const DOT_CARGO = /\/\.cargo\/(?:registry|git)(?:\/|$)/;
const CARGO_CACHES = ['registry', 'git'];

export const cacheMountSharing: Rule = {
  id: 'cache-mount-sharing',
  summary:
    'Cache mounts of package managers that do not coordinate between builds (apt, cargo, dnf/yum, zypper, pacman, apk) must be sharing=locked.',
  fixLevel: 'safe',
  // A locking directory is named in the file, as a target or in the ENV/ARG a target reads.
  prefilter: (source) => mentionsCacheMount(source) && /apt|dnf|yum|zypp|pacman|apk|cargo/i.test(source),
  evidence: [
    'https://docs.docker.com/reference/dockerfile/#run---mounttypecache',
    'https://github.com/moby/buildkit/issues/1662',
    'https://github.com/moby/buildkit/issues/2487',
    'https://github.com/rust-lang/cargo/issues/11376',
    'https://github.com/tensorzero/tensorzero/pull/3194',
    'https://github.com/base/base/pull/851',
    'https://github.com/rpm-software-management/libdnf/issues/1685',
    'https://github.com/openSUSE/zypper/issues/579',
  ],
  check({ model, report }) {
    const caches = model.runs
      .flatMap((run) =>
        run.mounts.filter((m) => m.type === 'cache').map((mount) => ({ mount, ...resolve(run.node, mount) })),
      )
      .filter((c) => c.id !== undefined);
    // BuildKit keys a cache by id, and a shared user does not wait for a locked one: once any
    // mount of an id needs the lock, every mount of that id must take it.
    const lockedIds = new Map<string, Tool>();
    for (const { id, tool } of caches) {
      if (tool && !lockedIds.has(id!)) lockedIds.set(id!, tool);
    }
    for (const { mount, id, target } of caches) {
      const tool = lockedIds.get(id!);
      if (!tool) continue;
      const what = describe(mount, target, tool);
      if (mount.sharing === undefined) {
        report({
          start: mount.flag.start,
          end: mount.flag.end,
          message: `${what} is shared by default, and ${tool.why}: set sharing=locked`,
          fix: { edits: [appendMountOptions(mount, [['sharing', 'locked']])], addedLines: 0 },
        });
      } else if (mount.sharing === 'shared') {
        report({
          start: mount.get('sharing')!.start,
          end: mount.get('sharing')!.end,
          message: `${what} is sharing=shared, so ${tool.why}: use sharing=locked (left as written)`,
        });
      }
    }
  },
};

/** The cache's id and target as BuildKit 0.9 and later see them, and the tool whose cache it is. */
function resolve(
  node: InstructionNode,
  mount: Mount,
): { id: string | undefined; target: string | undefined; tool: Tool | undefined } {
  const target = mountTarget(node, mount);
  const tool =
    target === undefined
      ? undefined
      : (LOCKING_CACHE_DIRS.get(target) ?? (isCargoCache(target, variablesAt(node)) ? cargo : undefined));
  return { id: cacheMountId(node, mount), target, tool };
}

/**
 * `$CARGO_HOME/registry` and `$CARGO_HOME/git` (or folders in them), but not `$CARGO_HOME` itself:
 * a mount of the whole home holds cargo's lock too. CARGO_HOME set by ENV or ARG is honoured;
 * otherwise the official images' `/usr/local/cargo` and any user's `~/.cargo`.
 */
function isCargoCache(target: string, lookup: (name: string) => string | undefined): boolean {
  const set = lookup('CARGO_HOME');
  const homes = set ? [cleanPath(expandVariables(set, lookup).text)] : DEFAULT_CARGO_HOMES;
  if (!set && DOT_CARGO.test(target)) return true;
  return homes.some((home) =>
    CARGO_CACHES.some((dir) => target === `${home}/${dir}` || target.startsWith(`${home}/${dir}/`)),
  );
}

function describe(mount: Mount, target: string | undefined, tool: Tool): string {
  const written = mount.target ?? '';
  const shown =
    target !== undefined && !target.includes('$') && cleanPath(written) !== target ? `${written} (${target})` : written;
  const id = mount.get('id')?.value;
  return id ? `cache mount ${shown} (id=${id}, shared with ${tool.name}'s cache)` : `cache mount ${shown}`;
}
