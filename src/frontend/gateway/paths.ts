/** POSIX paths as Node's `path.posix` handles them, for both runtimes (the embedded one has no node:path). */

/** Resolves `.`, `..` and repeated slashes; keeps a leading and a trailing slash; '' becomes '.'. */
export function normalizePath(path: string): string {
  if (path === '') return '.';
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  let result = (absolute ? '/' : '') + parts.join('/');
  if (result === '') return path.endsWith('/') && !absolute ? './' : absolute ? '/' : '.';
  if (path.endsWith('/') && result !== '/') result += '/';
  return result;
}

export function joinPaths(...paths: string[]): string {
  const joined = paths.filter((p) => p !== '').join('/');
  return joined === '' ? '.' : normalizePath(joined);
}

/** The directory part of a path without repeated slashes. */
export function dirname(path: string): string {
  const trimmed = path.replace(/(?<=.)\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}
