export class InputError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong, without the path. */
    readonly reason: string,
    /** The line at fault, when there is one. */
    readonly line?: number,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The text read is not a Dockerfile we can parse (not UTF-8, a syntax error). */
export class NotDockerfileError extends InputError {}

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
