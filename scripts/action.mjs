#!/usr/bin/env node
// The GitHub Action's step (action.yml runs it in the workspace, with the inputs in INPUT_*).
//  1. dfrewrite --format sarif over the paths, writing nothing: the SARIF file (an output) and the
//     job summary (a Markdown table of the findings in $GITHUB_STEP_SUMMARY) come from it;
//  2. dfrewrite in the chosen mode (check, fix, diff) and log format (text, github annotations;
//     sarif logs as text), whose exit code is the step's: check fails when a file would change,
//     fix and diff fail only on errors (an unreadable file or configuration).
// Outputs: sarif-file, findings (count), files (count of files with findings).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODES = { check: ['--check'], fix: ['--in-place'], diff: ['--diff'] };
const FORMATS = ['text', 'sarif', 'github'];
const MAX_ROWS = 50;

const env = process.env;
const actionPath = env.GITHUB_ACTION_PATH || resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = join(actionPath, 'bin', 'dfrewrite.js');
const workspace = env.GITHUB_WORKSPACE || process.cwd();

function input(name, fallback) {
  const value = env[`INPUT_${name.toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function fail(message) {
  process.stdout.write(
    `::error title=dfrewrite::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`,
  );
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `### dfrewrite\n\n:x: ${cell(message)}\n`);
  process.exit(2);
}

const mode = input('mode', 'check');
const format = input('format', 'github');
const paths = input('paths', '.').split(/\s+/).filter(Boolean);
const config = input('config', '');
const sarifFile = resolve(workspace, input('sarif-file', join(env.RUNNER_TEMP || workspace, 'dfrewrite.sarif')));
if (!(mode in MODES)) fail(`unknown mode "${mode}" (known: ${Object.keys(MODES).join(', ')})`);
if (!FORMATS.includes(format)) fail(`unknown format "${format}" (known: ${FORMATS.join(', ')})`);
const common = [...(config ? ['--config', config] : []), ...paths];

const dfrewrite = (args, stdio) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    cwd: workspace,
    encoding: 'utf8',
    stdio,
    maxBuffer: 256 * 1024 * 1024,
  });

// 1. The SARIF log, from the files as they are now.
const sarifRun = dfrewrite(['--check', '--format', 'sarif', ...common], ['ignore', 'pipe', 'pipe']);
let log;
try {
  log = JSON.parse(sarifRun.stdout);
} catch {
  process.stderr.write(sarifRun.stderr);
  fail(
    `dfrewrite did not produce a SARIF log (exit ${sarifRun.status}): ${sarifRun.stderr.trim().split('\n').pop() ?? ''}`,
  );
}
mkdirSync(dirname(sarifFile), { recursive: true });
writeFileSync(sarifFile, sarifRun.stdout);

// 2. The run itself, its output straight into the log.
const run = dfrewrite(
  [...MODES[mode], '--format', format === 'github' ? 'github' : 'text', ...common],
  ['ignore', 'inherit', 'inherit'],
);
const code = run.status ?? 2;

const results = log.runs[0].results;
const files = new Set(results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
const notifications = log.runs[0].invocations?.[0]?.toolExecutionNotifications ?? [];
if (env.GITHUB_OUTPUT) {
  appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\nfindings=${results.length}\nfiles=${files.size}\n`);
}
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary(log, mode, code));
process.exit(code);

function summary(log, mode, code) {
  const rules = log.runs[0].tool.driver.rules;
  const fixable = results.filter((r) => r.properties?.fixed).length;
  const verdict =
    code === 2
      ? 'failed: some files or the configuration could not be read'
      : mode === 'check'
        ? code === 1
          ? 'files would change'
          : 'nothing would change'
        : mode === 'fix'
          ? 'fixes applied'
          : 'diff printed in the log';
  const lines = [
    '### dfrewrite',
    '',
    `${results.length} finding${results.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}, ${fixable} fixed by default (mode ${mode}: ${verdict}).`,
    '',
  ];
  if (results.length > 0) {
    lines.push('| File | Line | Rule | Finding | Fix |', '| --- | --- | --- | --- | --- |');
    for (const r of results.slice(0, MAX_ROWS)) {
      const loc = r.locations[0].physicalLocation;
      const rule = rules[r.ruleIndex];
      const ruleCell = rule?.helpUri ? `[${r.ruleId}](${rule.helpUri})` : r.ruleId;
      const fix = r.properties?.fixed
        ? mode === 'fix'
          ? 'fixed'
          : 'fixable'
        : r.properties?.fixLevel === 'suggested'
          ? 'suggested'
          : '';
      lines.push(
        `| \`${cell(decodeURIComponent(loc.artifactLocation.uri))}\` | ${loc.region.startLine} | ${ruleCell} | ${cell(r.message.text)} | ${fix} |`,
      );
    }
    if (results.length > MAX_ROWS) lines.push('', `… and ${results.length - MAX_ROWS} more (see the SARIF file).`);
    lines.push('');
  }
  for (const n of notifications) lines.push(`- :x: ${cell(n.message.text)}`);
  return `${lines.join('\n')}\n`;
}

/** Text for a Markdown table cell: one line, pipes escaped, HTML defused. */
function cell(text) {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
