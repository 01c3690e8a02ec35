/** Runs the engine on the Dockerfile's bytes, never failing: a refused file goes on unchanged. */
import type { Finding } from '../core/types.js';
import { decodeUtf8 } from '../core/parse/utf8.js';
import { notRewritten, summaryOf } from './notices.js';

export interface RewrittenDockerfile {
  data: Buffer;
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
  data: Buffer,
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

  const text = decodeUtf8(data);
  if (text === undefined) return unchanged('the file is not UTF-8');
  try {
    const result = rewrite(text, { rules: { disable }, applySuggested: settings.applySuggested });
    return {
      data: result.changed ? Buffer.from(result.output, 'utf8') : data,
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
