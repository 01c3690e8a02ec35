import { appendMountOptions } from '../core/fix/edits.js';
import { isRootUser } from '../core/model/model.js';
import { expandAt, mountTarget } from '../core/model/variables.js';
import { type Mount, mentionsCacheMount } from '../core/parse/mount.js';
import type { Rule } from '../core/rule.js';

/** The `USER` a step runs as, read the way BuildKit reads `user[:group]`. */
type User =
  | { kind: 'root' }
  | { kind: 'numeric'; uid: string; gid: string | undefined; group: string | undefined }
  | { kind: 'name'; name: string }
  | { kind: 'variable' };

const NUMBER = /^[0-9]+$/;

export const cacheMountOwner: Rule = {
  id: 'cache-mount-owner',
  summary:
    "A cache mount is created owned by root: under a non-root USER, give it the user's uid/gid or the step cannot write into it.",
  fixLevel: 'safe',
  // USER (in this stage or a parent stage) must be in the file; a base image's USER is not known.
  prefilter: (source) => mentionsCacheMount(source) && /^[ \t]*(?:onbuild[ \t]+)?user[ \t]/im.test(source),
  evidence: [
    'https://docs.docker.com/reference/dockerfile/#run---mounttypecache',
    'https://github.com/moby/buildkit/issues/724',
    'https://github.com/moby/buildkit/issues/1237',
    'https://github.com/astral-sh/uv/issues/10047',
    'https://github.com/astral-sh/uv/issues/12710',
  ],
  check({ model, report }) {
    for (const run of model.runs) {
      const { node } = run;
      const stage = node.stage;
      if (!stage) continue;
      // An ONBUILD trigger runs first thing in the build FROM this image, as this image's final USER.
      const at = node.onbuild ? Number.POSITIVE_INFINITY : node.seq;
      const written = stage.userAt(at);
      if (written === undefined) continue;
      // BuildKit substitutes the variables in scope at the USER instruction
      const { text: value, fromArgs } = expandAt(stage.userInstructionAt(at)!, written);
      const user = parseUser(value);
      if (user.kind === 'root') continue;
      for (const mount of run.mounts) {
        if (mount.type !== 'cache' || mount.get('uid') || mount.get('gid') || othersMayWrite(mount) || readOnly(mount))
          continue;
        const target = mountTarget(node, mount);
        const what = `cache mount ${mount.target ?? ''}`;
        const base = { start: mount.flag.start, end: mount.flag.end };
        const resolved = value !== written ? ` (${value})` : '';
        const as = `USER ${written}${resolved}${node.onbuild ? " (this image's user, which the trigger runs as)" : ''}`;
        if (target !== undefined && (target === '/root' || target.startsWith('/root/'))) {
          report({
            ...base,
            message: `${what} is under /root, which ${as} cannot enter in most images and is not its home; not changed: mount the cache under the user's home, with its uid/gid`,
          });
          continue;
        }
        const problem = `${what} is created owned by root (mode 0755), so ${as} cannot write into it (Permission denied)`;
        if (user.kind === 'name') {
          report({
            ...base,
            message: `${problem}; not changed: the Dockerfile does not say which uid ${user.name} has: add uid=<its uid>,gid=<its gid>`,
          });
        } else if (user.kind === 'variable') {
          report({
            ...base,
            message: `${problem}; not changed: the user is set by a variable: add uid=/gid= with its numeric value`,
          });
        } else {
          const options: [string, string][] = [['uid', user.uid]];
          if (user.gid !== undefined) options.push(['gid', user.gid]);
          const added = options.map(([k, v]) => `${k}=${v}`).join(',');
          const groupNote = user.group !== undefined ? ` (group ${user.group} is a name: gid left as is)` : '';
          const edits = [appendMountOptions(mount, options)];
          if (fromArgs.length === 0) {
            report({ ...base, message: `${problem}: added ${added}${groupNote}`, fix: { edits, addedLines: 0 } });
            continue;
          }
          // the ARG's default, which --build-arg may change: BuildKit 0.8 would not substitute uid=$ARG
          const args = fromArgs.map((name) => `ARG ${name}`).join(', ');
          report({
            ...base,
            message: `${problem}: add ${added}${groupNote} (suggested fix: the default of ${args}, which --build-arg may change)`,
            fix: { edits, addedLines: 0, level: 'suggested' },
          });
        }
      }
    }
  },
};

function parseUser(written: string): User {
  if (written.includes('$')) return { kind: 'variable' };
  if (isRootUser(written)) return { kind: 'root' };
  const colon = written.indexOf(':');
  const user = colon === -1 ? written : written.slice(0, colon);
  const group = colon === -1 ? undefined : written.slice(colon + 1);
  if (!NUMBER.test(user)) return { kind: 'name', name: user };
  const numericGroup = group !== undefined && NUMBER.test(group);
  return {
    kind: 'numeric',
    uid: user,
    gid: numericGroup ? group : undefined,
    group: group !== undefined && !numericGroup ? group : undefined,
  };
}

/** `ro`, `readonly`, `readonly=true`: the step does not write into the cache. */
function readOnly(mount: Mount): boolean {
  const option = mount.get('readonly');
  return option !== undefined && (option.value === null || option.value.toLowerCase() === 'true');
}

/** `mode=0777` (or any mode with write for others) already lets every user write. */
function othersMayWrite(mount: Mount): boolean {
  const mode = mount.get('mode')?.value;
  if (mode === undefined || mode === null || !/^[0-7]+$/.test(mode)) return false;
  return (parseInt(mode, 8) & 0o002) !== 0;
}
