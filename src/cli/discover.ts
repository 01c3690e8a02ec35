import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** Dockerfile names BuildKit users use; `Dockerfile.*` minus the per-Dockerfile ignore files. */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return (
    name === 'Dockerfile' ||
    name === 'Containerfile' ||
    name.endsWith('.Dockerfile') ||
    name.startsWith('Dockerfile.') ||
    name.startsWith('Containerfile.')
  );
}

export interface Target {
  /** As the user will recognise it: the path given, or found below a directory given. */
  display: string;
  /** The real file, symbolic links resolved: what is read and written. */
  file: string;
}

export class InputError extends Error {
  constructor(
    readonly path: string,
    message: string,
    /** The line at fault, when there is one. */
    readonly line?: number,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Expands the command-line paths into files, once each, in a stable order. */
export async function discover(paths: string[]): Promise<{ targets: Target[]; errors: InputError[] }> {
  const targets: Target[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const add = async (display: string): Promise<void> => {
    const file = await realpath(display);
    if (seen.has(file)) return;
    seen.add(file);
    targets.push({ display, file });
  };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push(new InputError(path, describeFsError(error)));
      continue;
    }
    if (!info.isDirectory()) {
      await add(path);
      continue;
    }
    const found = await walk(path);
    if (found.length === 0) errors.push(new InputError(path, 'no Dockerfiles found in this directory'));
    for (const file of found) await add(file);
  }
  return { targets, errors };
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) files.push(...(await walk(path)));
    else if (entry.isFile() && isDockerfileName(entry.name)) files.push(path);
  }
  return files;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return (error as Error).message;
  }
}
