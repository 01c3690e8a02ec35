/** Input the engine refuses to rewrite: the file is left as it is and the reason names a line. */
export class DockerfileError extends Error {
  /** One-based line, when the problem has one. */
  readonly line: number | undefined;

  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'DockerfileError';
    this.line = line;
  }
}
