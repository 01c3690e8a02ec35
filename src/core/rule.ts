import type { DockerfileModel } from './model/model.js';
import type { Fix, FixLevel, Severity } from './types.js';

/** What a rule reports: a span of the source it was given, a message, and maybe a fix. */
export interface Report {
  start: number;
  end: number;
  message: string;
  severity?: Severity;
  fix?: Fix;
}

export interface RuleContext {
  model: DockerfileModel;
  report: (report: Report) => void;
}

/** One rule: metadata for docs, `--list-rules` and findings, and a check over the model. */
export interface Rule {
  id: string;
  /** One line, for `--list-rules`. */
  summary: string;
  /** Upstream issues or docs the rule rests on. */
  evidence: readonly string[];
  /** The level of the fixes it proposes, unless a fix says otherwise. */
  fixLevel: FixLevel;
  /**
   * A cheap test on the raw text: when it is false, the rule cannot find anything, and a file no
   * enabled rule could touch is passed over without a full parse. Omitted: always parse.
   */
  prefilter?: (source: string) => boolean;
  check(context: RuleContext): void;
}
