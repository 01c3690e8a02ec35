import { appendMountOption } from '../core/edits.js';
import type { Mount } from '../core/mount.js';
import { cleanPath } from '../core/mount.js';
import type { Rule } from '../core/rule.js';

/**
 * Cache directories whose package manager takes a lock inside them and fails at once when another
 * process holds it. Two builds (or two parallel stages) sharing such a cache break each other.
 */
const LOCKING_CACHE_DIRS = new Map<string, string>([
  ['/var/cache/apt', 'apt'],
  ['/var/cache/apt/archives', 'apt'],
  ['/var/lib/apt', 'apt'],
  ['/var/lib/apt/lists', 'apt'],
]);

export const cacheMountSharing: Rule = {
  id: 'cache-mount-sharing',
  summary: 'Cache mounts of apt\'s directories must be sharing=locked, or parallel stages fail on apt\'s lock.',
  fixLevel: 'safe',
  prefilter: /--mount/,
  evidence: [
    'https://docs.docker.com/reference/dockerfile/#run---mounttypecache',
    'https://github.com/moby/buildkit/issues/1662',
    'https://github.com/moby/buildkit/issues/2487',
  ],
  check({ model, report }) {
    const caches = model.runs.flatMap((run) => run.mounts.filter((m) => m.type === 'cache' && m.cacheId !== undefined));
    // BuildKit keys a cache by id, and a shared user does not wait for a locked one: once any
    // mount of an id needs the lock, every mount of that id must take it.
    const lockedIds = new Map<string, string>();
    for (const mount of caches) {
      const tool = mount.target !== undefined ? LOCKING_CACHE_DIRS.get(cleanPath(mount.target)) : undefined;
      if (tool && !lockedIds.has(mount.cacheId!)) lockedIds.set(mount.cacheId!, tool);
    }
    for (const mount of caches) {
      const tool = lockedIds.get(mount.cacheId!);
      if (!tool) continue;
      const what = describe(mount, tool);
      if (mount.sharing === undefined) {
        report({
          start: mount.flag.start,
          end: mount.flag.end,
          message: `${what} is shared by default, and parallel users fail on ${tool}'s lock: set sharing=locked`,
          fix: { edits: [appendMountOption(mount, 'sharing', 'locked')], addedLines: 0 },
        });
      } else if (mount.sharing === 'shared') {
        report({
          start: mount.get('sharing')!.start,
          end: mount.get('sharing')!.end,
          message: `${what} is sharing=shared, so parallel users fail on ${tool}'s lock: use sharing=locked (left as written)`,
        });
      }
    }
  },
};

function describe(mount: Mount, tool: string): string {
  const target = mount.target ?? '';
  const id = mount.get('id')?.value;
  return id ? `cache mount ${target} (id=${id}, shared with ${tool}'s cache)` : `cache mount ${target}`;
}
