/** Public shapes shared by the engine, the rules, the CLI and the frontend. */

/** A zero-based position, as in LSP and BuildKit's `pb.Range` (line and character). */
export interface Position {
  line: number;
  character: number;
}

/** Half-open range in the original source: `start` inclusive, `end` exclusive. */
export interface SourceRange {
  start: Position;
  end: Position;
}

/**
 * One text replacement on the source a rule was given. Offsets are UTF-16 indices into that
 * source; `expected` is the text currently between them, checked before the edit is applied,
 * so a stale or misplaced edit fails loudly instead of corrupting the file.
 */
export interface TextEdit {
  start: number;
  end: number;
  expected: string;
  text: string;
  /**
   * What the edit declares (e.g. `stage 2: ARG TARGETARCH`). Two edits that declare the same thing
   * conflict unless they are identical, so a declaration is made once and the other fix is
   * reconsidered in the next pass, where it finds the declaration in place.
   */
  declares?: readonly string[];
}

/**
 * `safe` fixes keep what the build produces and are applied by default (CLI and frontend);
 * `suggested` fixes change what a build does and are applied only on request.
 */
export type FixLevel = 'safe' | 'suggested';

export interface Fix {
  /** Non-overlapping edits, applied together or not at all. */
  edits: TextEdit[];
  /** Lines the fix adds (for instance an `ARG` declaration); 0 when it edits lines in place. */
  addedLines: number;
  /** Defaults to the rule's level. */
  level?: FixLevel;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** One line: what is wrong and what was (or could not be) done about it. */
  message: string;
  /** Where, in the source the rewrite started from. */
  range: SourceRange;
  /** Link to the rule's documentation page. */
  url: string;
  fix?: Fix;
  /** Set by the engine: true when the fix was applied to the output. */
  fixed: boolean;
}

export interface RuleSelection {
  /** Rule ids to run; default: every rule. */
  enable?: readonly string[];
  /** Rule ids to skip, applied after `enable`. */
  disable?: readonly string[];
}

export interface RewriteOptions {
  rules?: RuleSelection;
  /** Apply `suggested` fixes too (they are always reported). */
  applySuggested?: boolean;
}

/** An in-file `# dfrewrite: ignore` directive and whether it suppressed anything. */
export interface Suppression {
  /** One-based line of the directive. */
  line: number;
  /** The rules it names; empty for all. */
  rules: string[];
  used: boolean;
}

export interface RewriteResult {
  output: string;
  changed: boolean;
  findings: Finding[];
  /** The file's `ignore` directives (for reporting the unused ones). */
  suppressions?: Suppression[];
}
