import MagicString from 'magic-string';
import type { TextEdit } from '../types.js';

/**
 * Edits conflict when their spans overlap or both insert at one point (their order would be a
 * guess), except declarations, whose order does not matter.
 */
export function editsConflict(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start && a.end === b.end && a.text === b.text) return false;
  const aInserts = a.start === a.end;
  const bInserts = b.start === b.end;
  if (aInserts && bInserts) return a.start === b.start && !(a.declares && b.declares);
  // Text inserted where a replaced span that crosses lines starts would land on another line.
  if (aInserts) return (b.start < a.start && a.start < b.end) || (a.start === b.start && b.expected.includes('\n'));
  if (bInserts) return (a.start < b.start && b.start < a.end) || (b.start === a.start && a.expected.includes('\n'));
  return a.start < b.end && b.start < a.end;
}

/** The edits with repeats of an identical edit (several fixes sharing one ARG block) removed. */
export function uniqueEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}:${edit.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Edits kept so far, sorted by start, so a conflict check looks only at neighbours. */
export class EditSet {
  private readonly edits: TextEdit[] = [];
  private readonly declared = new Map<string, TextEdit>();

  /**
   * Adds a fix's edits, or none of them when one conflicts with an edit already kept. A
   * declaration already made at or before the point where the fix makes it is in scope there, so
   * it is dropped from the fix. Returns the edits kept, or undefined.
   */
  tryAdd(edits: readonly TextEdit[]): TextEdit[] | undefined {
    const needed = edits.filter((edit) => !this.declaredBefore(edit));
    if (needed.some((edit) => this.conflicts(edit))) return undefined;
    for (const edit of needed) {
      this.edits.splice(this.lowerBound(edit.start), 0, edit);
      for (const name of edit.declares ?? []) this.declared.set(name, edit);
    }
    return needed;
  }

  private declaredBefore(edit: TextEdit): boolean {
    const names = edit.declares ?? [];
    return (
      names.length > 0 &&
      names.every((name) => (this.declared.get(name)?.start ?? Number.POSITIVE_INFINITY) <= edit.start)
    );
  }

  private conflicts(edit: TextEdit): boolean {
    // Declared later in the file than this fix needs it: this fix waits for the next pass.
    if ((edit.declares ?? []).some((name) => this.declared.has(name))) return true;
    const at = this.lowerBound(edit.start);
    const before = this.edits[at - 1];
    if (before && editsConflict(before, edit)) return true;
    for (let i = at; i < this.edits.length && this.edits[i]!.start <= edit.end; i++) {
      if (editsConflict(this.edits[i]!, edit)) return true;
    }
    return false;
  }

  private lowerBound(start: number): number {
    let lo = 0;
    let hi = this.edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.edits[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Applies non-conflicting edits with magic-string. Each edit must find the text it expects:
 * a mismatch is an engine bug, and failing beats writing a corrupted file. Repeats of an
 * identical edit must be removed first (`uniqueEdits`): a repeated insertion would be made twice.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const output = new MagicString(source);
  for (const edit of edits) {
    if (source.slice(edit.start, edit.end) !== edit.expected) {
      throw new Error(`internal error: edit at ${edit.start} expected ${JSON.stringify(edit.expected)}`);
    }
    if (edit.start === edit.end) output.appendLeft(edit.start, edit.text);
    else if (edit.text === '') output.remove(edit.start, edit.end);
    else output.overwrite(edit.start, edit.end, edit.text);
  }
  return output.toString();
}

/** Maps offsets in an edited text back to the text the edits were applied to. */
export class OffsetMapper {
  private readonly edits: { start: number; end: number; newStart: number; newEnd: number }[] = [];

  constructor(edits: readonly TextEdit[]) {
    let delta = 0;
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const newStart = edit.start + delta;
      this.edits.push({ start: edit.start, end: edit.end, newStart, newEnd: newStart + edit.text.length });
      delta += edit.text.length - (edit.end - edit.start);
    }
  }

  /** An offset inside inserted or replaced text maps to the start of what it replaced. */
  map(offset: number): number {
    let lo = 0;
    let hi = this.edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.edits[mid]!.newStart <= offset) lo = mid + 1;
      else hi = mid;
    }
    const edit = this.edits[lo - 1];
    if (!edit) return offset;
    if (offset < edit.newEnd) return edit.start;
    return edit.end + (offset - edit.newEnd);
  }
}
