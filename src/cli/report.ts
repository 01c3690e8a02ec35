import type { Finding } from '../core/types.js';

/** `file:line:col rule-id message`, one-based, as compilers and linters print them. */
export function formatFinding(display: string, finding: Finding, writes: boolean): string {
  const { line, character } = finding.range.start;
  return `${display}:${line + 1}:${character + 1} ${finding.ruleId} ${finding.message}${findingState(finding, writes)}`;
}

/** ` [fixed]`, ` [fixable]`, ` [suggested fix: --apply-suggested]` or nothing. */
export function findingState(finding: Finding, writes: boolean): string {
  if (finding.fixed) return writes ? ' [fixed]' : ' [fixable]';
  return finding.fix?.level === 'suggested' ? ' [suggested fix: --apply-suggested]' : '';
}

export interface FileReport {
  path: string;
  /** The Compose service whose `dockerfile_inline` was checked (`path` is the Compose file). */
  service?: string;
  changed: boolean;
  findings: JsonFinding[];
  error?: string;
  /** Why the file or service was not checked (not an error). */
  skipped?: string;
  /** Why a change was not written (`changed` is then false): a `dockerfile_inline` under --in-place. */
  notWritten?: string;
}

export interface JsonFinding {
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixed: boolean;
  /** `safe` or `suggested` when the finding carries a fix (the edits are in `fix`). */
  fixLevel?: string;
  addedLines: number;
  url: string;
}

export function toJsonFinding(finding: Finding): JsonFinding {
  return {
    rule: finding.ruleId,
    severity: finding.severity,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    message: finding.message,
    fixed: finding.fixed,
    ...(finding.fix ? { fixLevel: finding.fix.level } : {}),
    addedLines: finding.fixed ? (finding.fix?.addedLines ?? 0) : 0,
    url: finding.url,
  };
}

const COLOURS: Record<string, string> = { '+': '\x1b[32m', '-': '\x1b[31m', '@': '\x1b[36m' };

/** Colours a unified diff's added, removed and hunk lines; file headers stay bold. */
export function colourDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return `\x1b[1m${line}\x1b[0m`;
      const colour = COLOURS[line[0] ?? ''];
      return colour ? `${colour}${line}\x1b[0m` : line;
    })
    .join('\n');
}

// Node's types say `isTTY: boolean`, but a pipe or a file leaves it undefined.
export function useColour(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
