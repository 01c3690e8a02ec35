/** Runs the engine on the Dockerfile's bytes, never failing: a refused file goes on unchanged. */
import type { Finding } from '../core/types.js';
import { notRewritten, summaryOf } from './report.js';

export interface RewrittenDockerfile {
  data: Buffer;
  findings: Finding[];
  /** What was done, or why nothing was. */
  summary: string;
}

export async function rewriteDockerfile(
  data: Buffer,
  settings: { disable: string[]; applySuggested: boolean },
): Promise<RewrittenDockerfile> {
  let text: string;
  try {
    // Strict, and keeping a byte order mark, so that an unchanged file is byte-identical.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return { data, findings: [], summary: notRewritten('the file is not UTF-8') };
  }
  try {
    // Loaded only here: subrequests and DFREWRITE=off never need the engine.
    const { rewrite } = await import('../core/rewrite.js');
    const result = rewrite(text, { rules: { disable: settings.disable }, applySuggested: settings.applySuggested });
    return {
      data: result.changed ? Buffer.from(result.output, 'utf8') : data,
      findings: result.findings,
      summary: summaryOf(result.findings),
    };
  } catch (error) {
    return { data, findings: [], summary: notRewritten(error instanceof Error ? error.message : String(error)) };
  }
}
