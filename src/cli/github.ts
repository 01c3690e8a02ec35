/**
 * `--format github`: GitHub Actions workflow commands, so findings show up as annotations on the
 * pull request. Escaping follows the runner's rules: in the message `%`, CR and LF; in a
 * property also `:` and `,`.
 */
import { relative, resolve, sep } from 'node:path';
import type { Finding } from '../core/types.js';
import { findingState } from './report.js';

export const escapeData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function workflowCommand(
  level: AnnotationLevel,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** The file as the repository knows it: relative to GITHUB_WORKSPACE (or the working directory). */
export function annotationPath(display: string, env: NodeJS.ProcessEnv = process.env): string {
  if (display === '-') return display;
  const root = env.GITHUB_WORKSPACE || process.cwd();
  const path = relative(root, resolve(display));
  return (path.startsWith('..') ? resolve(display) : path).split(sep).join('/');
}

export function findingAnnotation(display: string, finding: Finding, writes: boolean): string {
  const { start, end } = finding.range;
  return workflowCommand(
    finding.severity === 'error' ? 'error' : 'warning',
    {
      file: annotationPath(display),
      line: start.line + 1,
      col: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      title: `dfrewrite ${finding.ruleId}`,
    },
    `${finding.message}${findingState(finding, writes)}\n${finding.url}`,
  );
}

export function errorAnnotation(display: string, message: string, line: number | undefined): string {
  return workflowCommand('error', { file: annotationPath(display), line, title: 'dfrewrite' }, message);
}

/** A file or Compose service not checked, and why. */
export function noteAnnotation(display: string, message: string, line: number | undefined): string {
  return workflowCommand('notice', { file: annotationPath(display), line, title: 'dfrewrite' }, message);
}
