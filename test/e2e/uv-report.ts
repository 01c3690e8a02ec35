// The stand-in uv (fixtures/stand-ins/uv): which uv release it models, and what it reported.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An old uv (no bytecode flags on `uv python install`) and a current one. */
export const UV_VERSIONS = ['0.8.24', '0.12.5'] as const;

/** What the stand-in says when asked to compile under QEMU, where real uv can hang. */
export const COMPILES_EMULATED = /stand-in uv asked to compile bytecode under QEMU/;

/** Makes the stand-in in build context `dir` model uv `version`. */
export function useUv(dir: string, version: string): void {
  const file = join(dir, 'uv');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^version=.*$/m, `version=${version}`));
}

export interface UvReport {
  version: string;
  command: string;
  machine: string;
  /** Whether that uv would compile bytecode. */
  compile: 'on' | 'off';
}

export function readUvReport(file: string): UvReport {
  const fields = Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const { version = '', command = '', machine = '', compile } = fields;
  return { version, command, machine, compile: compile === 'on' ? 'on' : 'off' };
}
