import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SourceRange } from '../core/types.js';
import { readCompose } from './compose.js';
import { describeFsError, InputError } from './errors.js';
import { dockerfileNameMatch, isComposeFileName } from './names.js';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export interface Target {
  /** As the user will recognise it: the path given, or found below a directory given. */
  display: string;
  /** The real file, symbolic links resolved: what is read and written. */
  file: string;
  /** Found by a loose name only (`Dockerfile-cuda`): if it does not parse, it is skipped, not an error. */
  loose: boolean;
  /** A Compose service's `dockerfile_inline`: `display` and `file` are the Compose file's. */
  inline?: InlineDockerfile;
}

export interface InlineDockerfile {
  service: string;
  text: string;
  /** From the Dockerfile text to the Compose file. */
  toComposeRange: (range: SourceRange) => SourceRange;
}

/** Something not checked, and why: a file that only looked like a Dockerfile, a remote build context. */
export interface Note {
  display: string;
  message: string;
  line?: number;
}

export interface Discovery {
  targets: Target[];
  errors: InputError[];
  notes: Note[];
}

/**
 * Expands the command-line paths into files, once each, in a stable order: files named, the
 * Dockerfiles and Compose files found below directories, and the Dockerfiles Compose files build.
 */
export async function discover(paths: string[]): Promise<Discovery> {
  const found: Discovery = { targets: [], errors: [], notes: [] };
  const byFile = new Map<string, Target>();
  const composeRead = new Set<string>();
  const add = async (display: string, loose: boolean): Promise<void> => {
    const file = await realpath(display);
    const known = byFile.get(file);
    if (known) {
      known.loose &&= loose;
      return;
    }
    const target = { display, file, loose };
    byFile.set(file, target);
    found.targets.push(target);
  };
  const addCompose = async (compose: string): Promise<void> => {
    const { entries, errors } = await readCompose(compose, composeRead);
    found.errors.push(...errors);
    for (const entry of entries) {
      const named = `named by service "${entry.service}" of ${entry.compose}`;
      if (entry.kind === 'skipped') {
        const what = entry.service ? `service "${entry.service}": ` : '';
        found.notes.push({ display: entry.compose, message: `${what}${entry.reason}`, line: entry.line });
      } else if (entry.kind === 'inline') {
        const file = await realpath(entry.compose);
        const key = `${file}\0${entry.service}`;
        if (byFile.has(key)) continue;
        const { service, text, toComposeRange } = entry;
        const target = { display: entry.compose, file, loose: false, inline: { service, text, toComposeRange } };
        byFile.set(key, target);
        found.targets.push(target);
      } else {
        try {
          await add(entry.path, false);
        } catch (error) {
          found.errors.push(new InputError(entry.path, `${describeFsError(error)} (${named})`));
        }
      }
    }
  };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      found.errors.push(new InputError(path, describeFsError(error)));
      continue;
    }
    if (!info.isDirectory()) {
      if (isComposeFileName(basename(path), true)) await addCompose(path);
      else await add(path, false);
      continue;
    }
    const { dockerfiles, composeFiles } = await walk(path);
    if (dockerfiles.length === 0 && composeFiles.length === 0)
      found.errors.push(new InputError(path, 'no Dockerfiles found in this directory'));
    for (const { path: file, loose } of dockerfiles) await add(file, loose);
    for (const compose of composeFiles) await addCompose(compose);
  }
  return found;
}

interface Walked {
  dockerfiles: { path: string; loose: boolean }[];
  composeFiles: string[];
}

async function walk(dir: string, into: Walked = { dockerfiles: [], composeFiles: [] }): Promise<Walked> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, into);
      continue;
    }
    if (!entry.isFile()) continue;
    const match = dockerfileNameMatch(entry.name);
    if (match) into.dockerfiles.push({ path, loose: match === 'loose' });
    else if (isComposeFileName(entry.name, false)) into.composeFiles.push(path);
  }
  return into;
}
