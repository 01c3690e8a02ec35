/** Runs the engine on the Dockerfile's bytes, never failing: a refused file goes on unchanged. */
import type { Finding } from '../core/types.js';
import { decodeUtf8, encodeUtf8 } from '../core/parse/utf8.js';
import { notRewritten, summaryOf } from './notices.js';

export interface RewrittenDockerfile {
  data: Uint8Array;
  findings: Finding[];
  /** What was done, or why nothing was. */
  summary: string;
  /** Each rule's one-line description, by id (for warnings: the Dockerfile frontend's `detail`). */
  descriptions: Map<string, string>;
  /** Ids in `disable` that name no rule: ignored, every other rule ran. */
  unknownRules: string[];
  /** Every rule id there is, to say so when an unknown one was given. */
  knownRules: string[];
}

/**
 * Files over 1 MiB are not rewritten, on every runtime, so that the answer never depends on the
 * one that runs it: the embedded engine's time grows faster with size than V8's (docs/performance.md).
 */
const MAX_REWRITE_BYTES = 1 << 20;

/** Why `data` is not rewritten for its size, if it is not. */
export function tooLargeToRewrite(data: Uint8Array): string | undefined {
  return data.length > MAX_REWRITE_BYTES ? 'the Dockerfile is over 1 MiB' : undefined;
}

let engine: Promise<[typeof import('../core/rewrite.js'), typeof import('../rules/index.js')]> | undefined;

/**
 * Loads the engine, once: started as the Dockerfile is asked for, it loads while the daemon
 * finds the file. Runs without a Dockerfile to rewrite (`--call` subrequests, DFREWRITE=off) never
 * need it.
 */
export function loadEngine(): typeof engine & object {
  engine ??= Promise.all([import('../core/rewrite.js'), import('../rules/index.js')]);
  return engine;
}

export async function rewriteDockerfile(
  data: Uint8Array,
  settings: { disable: string[]; applySuggested: boolean },
): Promise<RewrittenDockerfile> {
  const [{ rewrite }, { allRules }] = await loadEngine();
  const descriptions = new Map(allRules.map((rule) => [rule.id, rule.summary]));
  const knownRules = [...descriptions.keys()];
  // A mistyped id must not cost the user every other rule: it is reported and skipped.
  const unknownRules = settings.disable.filter((id) => !descriptions.has(id));
  const disable = settings.disable.filter((id) => descriptions.has(id));
  const withUnknown = (summary: string) =>
    unknownRules.length > 0
      ? `${summary}; ignored unknown rule ${unknownRules.map((id) => `"${id}"`).join(', ')}`
      : summary;
  const unchanged = (reason: string): RewrittenDockerfile => ({
    data,
    findings: [],
    summary: withUnknown(notRewritten(reason)),
    descriptions,
    unknownRules,
    knownRules,
  });

  const tooLarge = tooLargeToRewrite(data);
  if (tooLarge) return unchanged(tooLarge);
  const text = decodeUtf8(data, true);
  if (text === undefined) return unchanged('the file is not UTF-8');
  try {
    const result = rewrite(text, { rules: { disable }, applySuggested: settings.applySuggested });
    return {
      data: result.changed ? encodeUtf8(result.output) : data,
      findings: result.findings,
      summary: withUnknown(summaryOf(result.findings)),
      descriptions,
      unknownRules,
      knownRules,
    };
  } catch (error) {
    return unchanged(error instanceof Error ? error.message : String(error));
  }
}
