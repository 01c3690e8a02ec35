/**
 * The engine alone, JSON in and JSON out: how the differential test asks the shipped binary for
 * its answers (`dfrewrite-frontend --rewrite-only < cases.json`), to compare them with Node's.
 */
import { rewrite } from '../../core/rewrite.js';
import type { RewriteOptions, RewriteResult } from '../../core/types.js';

export interface RewriteCase {
  source: string;
  options?: RewriteOptions;
}

export type RewriteAnswer = RewriteResult | { error: string };

export function answer(request: RewriteCase): RewriteAnswer {
  try {
    return rewrite(request.source, request.options);
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** `[RewriteCase, ...]` as JSON in, `[RewriteAnswer, ...]` as JSON out. */
export function answerAll(requests: string): string {
  return JSON.stringify((JSON.parse(requests) as RewriteCase[]).map(answer));
}
