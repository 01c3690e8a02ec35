/**
 * `--format sarif`: a SARIF 2.1.0 log (OASIS), for GitHub code scanning and other viewers. Rule
 * metadata comes from the rule list, help links from ruleDocUrl, and each fix becomes a SARIF
 * `fix` whose replacements are the fix's edits turned from offsets into line/column regions of
 * the original file (columns count UTF-16 code units, as `columnKind` says).
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { directivesDocUrl, HOMEPAGE, ruleDocUrl } from '../core/links.js';
import { LineIndex } from '../core/parse/source.js';
import type { Finding, Position } from '../core/types.js';
import type { Rule } from '../core/rule.js';
import { DIRECTIVE_RULE } from './unused.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = 'SRCROOT';

export interface SarifInput {
  display: string;
  /** The original text, when it could be read: needed to place fixes. */
  source?: string;
  findings: Finding[];
  /** Why the file was not rewritten (it is then reported as a tool notification). */
  error?: { message: string; line?: number | undefined };
  /** Why the file (or Compose service) was not checked: a notification of level `note`. */
  note?: { message: string; line?: number | undefined };
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export function toSarif(
  files: SarifInput[],
  context: { version: string; rules: readonly Rule[]; cwd: string },
): object {
  const descriptors = [
    ...context.rules.map((rule) => ({
      id: rule.id,
      name: pascal(rule.id),
      shortDescription: { text: rule.summary },
      fullDescription: { text: fullDescription(rule) },
      helpUri: ruleDocUrl(rule.id),
      help: { text: `${sentence(rule.summary)} See ${ruleDocUrl(rule.id)}` },
      defaultConfiguration: { level: 'warning' },
      properties: { fixLevel: rule.fixLevel, evidence: [...rule.evidence], tags: ['dockerfile', 'buildkit'] },
    })),
    {
      id: DIRECTIVE_RULE,
      name: 'DfrewriteDirective',
      shortDescription: { text: 'A # dfrewrite: directive that cannot be used as written, or that suppressed nothing' },
      fullDescription: {
        text: 'In-file directives (# dfrewrite: off, disable=, enable=, ignore=) must name known rules and, for ignore, stand right above an instruction. With --report-unused-directives, an ignore that suppressed nothing is reported too.',
      },
      helpUri: directivesDocUrl,
      help: { text: `See ${directivesDocUrl}` },
      defaultConfiguration: { level: 'warning' },
    },
  ];
  const ruleIndex = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = files.flatMap((file) => {
    const lines = file.source === undefined ? undefined : new LineIndex(file.source);
    const location = artifactLocation(file.display);
    return file.findings.map((finding) => {
      const fix = lines && file.source !== undefined ? sarifFix(finding, file.source, lines, location) : undefined;
      const index = ruleIndex.get(finding.ruleId);
      return {
        ruleId: finding.ruleId,
        ...(index === undefined ? {} : { ruleIndex: index }),
        level: finding.severity,
        message: { text: finding.message },
        locations: [
          { physicalLocation: { artifactLocation: location, region: region(finding.range.start, finding.range.end) } },
        ],
        ...(fix ? { fixes: [fix] } : {}),
        properties: { fixed: finding.fixed, ...(finding.fix ? { fixLevel: finding.fix.level ?? 'safe' } : {}) },
      };
    });
  });
  const errors = files.filter((f) => f.error);
  const notifications = files.flatMap((file) => [
    ...(file.error ? [notification('error', file.display, file.error)] : []),
    ...(file.note ? [notification('note', file.display, file.note)] : []),
  ]);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dfrewrite',
            version: context.version,
            semanticVersion: context.version,
            informationUri: HOMEPAGE,
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(context.cwd).href.replace(/\/?$/, '/') } },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

function notification(
  level: 'error' | 'note',
  display: string,
  what: { message: string; line?: number | undefined },
): object {
  return {
    level,
    message: { text: what.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(display),
          ...(what.line ? { region: { startLine: what.line } } : {}),
        },
      },
    ],
  };
}

/** A fix whose edits are offsets into the original source, as SARIF replacements. */
function sarifFix(finding: Finding, source: string, lines: LineIndex, location: object): object | undefined {
  const fix = finding.fix;
  if (!fix || fix.edits.length === 0) return undefined;
  // Fixes found on a later pass are offsets into an intermediate text: only place verified edits.
  if (
    !fix.edits.every((e) => e.start <= e.end && e.end <= source.length && source.slice(e.start, e.end) === e.expected)
  )
    return undefined;
  const level = fix.level ?? 'safe';
  return {
    description: {
      text:
        level === 'safe'
          ? 'Apply the safe fix (dfrewrite applies it by default).'
          : 'Apply the suggested fix (dfrewrite --apply-suggested).',
    },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: [...fix.edits]
          .sort((a, b) => a.start - b.start)
          .map((edit) => ({
            deletedRegion: region(lines.positionAt(edit.start), lines.positionAt(edit.end)),
            ...(edit.text === '' ? {} : { insertedContent: { text: edit.text } }),
          })),
      },
    ],
  };
}

const region = (start: Position, end: Position): SarifRegion => ({
  startLine: start.line + 1,
  startColumn: start.character + 1,
  endLine: end.line + 1,
  endColumn: end.character + 1,
});

/** Relative paths against %SRCROOT% (the working directory), absolute ones as file: URIs. */
function artifactLocation(display: string): { uri: string; uriBaseId?: string } {
  if (display === '-') return { uri: 'stdin' };
  if (isAbsolute(display)) return { uri: pathToFileURL(display).href };
  const posix = display
    .split(sep)
    .join('/')
    .replace(/^(\.\/)+/, '');
  return { uri: posix.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function fullDescription(rule: Rule): string {
  const level =
    rule.fixLevel === 'safe'
      ? 'Its fixes are safe: they keep what the build produces and are applied by default.'
      : 'Its fixes are suggested: they change what the build does and are applied only with --apply-suggested.';
  return `${sentence(rule.summary)} ${level}`;
}

const pascal = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
