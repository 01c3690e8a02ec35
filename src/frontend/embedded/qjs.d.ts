/** The parts of quickjs-ng's built-in modules the embedded frontend uses (quickjs-libc.c). */
declare module 'qjs:std' {
  interface FILE {
    puts(text: string): void;
    readAsString(max?: number): string;
    flush(): void;
  }
  export const err: FILE;
  const stdin: FILE;
  export { stdin as in };
  export function exit(code: number): never;
  export function getenv(name: string): string | undefined;
  export function getenviron(): Record<string, string>;
  export function loadFile(path: string): string | null;
}

declare module 'qjs:os' {
  export function write(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  export function read(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  export function setWriteHandler(fd: number, handler: (() => void) | null): void;
  export function setReadHandler(fd: number, handler: (() => void) | null): void;
  export function setTimeout(callback: () => void, delay: number): unknown;
  /** User CPU time, in microseconds. */
  export function cputime(): number;
}

declare const scriptArgs: string[];
