import { combineFixes, declareArgs, dropArgDefault, replaceDeclarationValue, replaceSpan } from '../core/fix/edits.js';
import type { DockerfileModel, InstructionNode, Stage } from '../core/model/model.js';
import { stagePlatform } from '../core/model/platform.js';
import type { Rule, RuleContext } from '../core/rule.js';
import { oneLineSpan, runMentions, runScript } from '../core/model/script.js';
import { basename } from '../core/parse/shell.js';
import type { Fix, TextEdit } from '../core/types.js';

/** The arguments BuildKit fills in, but only where a stage declares them without a default. */
const AUTOMATIC = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];
const AUTOMATIC_SET = new Set(AUTOMATIC);
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/** Instructions whose arguments BuildKit expands at build time, or whose RUN environment holds the ARGs. */
const READERS = new Set([
  'RUN',
  'ENV',
  'ARG',
  'COPY',
  'ADD',
  'WORKDIR',
  'LABEL',
  'USER',
  'EXPOSE',
  'VOLUME',
  'STOPSIGNAL',
]);
/** Go's target settings and the automatic argument each should follow in a cross-compiling stage. */
const GO_SETTINGS = new Map([
  ['GOARCH', 'TARGETARCH'],
  ['GOOS', 'TARGETOS'],
]);
const GO_ASSIGNMENT = /^(GOARCH|GOOS)=([a-z0-9]+)$/;
const LITERAL = /^[a-z0-9]+$/;
/** Shell builtins that take `NAME=value` arguments. */
const DECLARING = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

export const platformArgs: Rule = {
  id: 'platform-args',
  summary:
    'TARGETARCH and the other platform arguments are filled in only where declared without a default: declare them, drop defaults.',
  fixLevel: 'safe',
  prefilter: (source) => /(?:TARGET|BUILD)(?:PLATFORM|OS|ARCH|VARIANT)|GO(?:ARCH|OS)/.test(source),
  evidence: [
    'https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope',
    'https://github.com/docker/docs/issues/23639',
    'https://github.com/Turbootzz/Vaultwarden-API/issues/47',
    'https://github.com/FriendsOfShopware/shopmon/issues/770',
    'https://github.com/numaproj/numaflow-go/issues/140',
    'https://github.com/apache/skywalking-swck/pull/215',
  ],
  check({ model, report }) {
    checkDefaults(model, report);
    for (const stage of model.stages) {
      checkReads(model, stage, report);
      if (stagePlatform(stage).kind === 'build') checkGoSettings(model, stage, report);
    }
  },
};

const references = (text: string): string[] => [...text.matchAll(REFERENCE)].map((m) => m[1]!);
const what = (name: string, value: string): string => `ARG ${name}=${value}`;

/** `ARG TARGETARCH=amd64` (in a stage, in the global scope, under ONBUILD): the default wins over BuildKit's value. */
function checkDefaults(model: DockerfileModel, report: RuleContext['report']): void {
  for (const declaration of model.declarations) {
    if (declaration.keyword !== 'ARG' || declaration.value === null || !AUTOMATIC_SET.has(declaration.name)) continue;
    const others = references(declaration.value).filter((name) => name !== declaration.name);
    const base = { start: declaration.start, end: declaration.end };
    const effect =
      declaration.value === ''
        ? 'it is empty'
        : references(declaration.value).length > 0
          ? "BuildKit's value is never used"
          : `every platform gets ${declaration.value}`;
    if (others.length > 0) {
      report({
        ...base,
        message: `${what(declaration.name, declaration.value)}: a default replaces the value BuildKit fills in for ${declaration.name}; not changed: the default names ${others.map((n) => `$${n}`).join(', ')}, declare it as ARG ${declaration.name} if BuildKit's value is meant`,
      });
      continue;
    }
    const edit = dropArgDefault(model, declaration);
    report({
      ...base,
      message: `${what(declaration.name, declaration.value)}: a default replaces the value BuildKit fills in for ${declaration.name} (${effect}, without a warning): default dropped`,
      ...(edit ? { fix: { edits: [edit], addedLines: 0 } } : {}),
    });
  }
}

/** The automatic arguments an instruction reads (in its flags, arguments and heredocs). */
function readsOf(model: DockerfileModel, node: InstructionNode): string[] {
  const keyword = node.command.keyword;
  if (!READERS.has(keyword)) return [];
  let texts: string[];
  if (keyword === 'ARG') {
    // what the defaults read; a platform argument's own default is checkDefaults' business
    texts = node.declarations.filter((d) => d.value !== null && !AUTOMATIC_SET.has(d.name)).map((d) => d.value!);
  } else {
    texts = [node.line.text, ...node.heredocs.map((h) => model.source.slice(h.contentStart, h.contentEnd))];
  }
  const names = texts.flatMap(references).filter((name) => AUTOMATIC_SET.has(name));
  return [...new Set(names)];
}

/** A stage reads `$TARGETARCH` (RUN, ENV, mount options, COPY paths, …) without declaring it: empty. */
function checkReads(model: DockerfileModel, stage: Stage, report: RuleContext['report']): void {
  const readers: { node: InstructionNode; names: string[] }[] = [];
  // The declarations go before the first instruction that reads any platform argument, declared
  // or not: a place that stays put when another rule (or pass) declares some of them.
  let anchor: InstructionNode | undefined;
  for (const node of stage.instructions) {
    const reads = readsOf(model, node);
    if (reads.length > 0 && !node.onbuild) anchor ??= node;
    const names = reads.filter((name) => !declaredAt(stage, node, name));
    if (names.length > 0) readers.push({ node, names });
  }
  const allNames = [...new Set(readers.filter((r) => !r.node.onbuild).flatMap((r) => r.names))];
  const fix = anchor && allNames.length > 0 ? declareArgs(model, stage, anchor, allNames) : undefined;
  for (const { node, names } of readers) {
    const list = names.map((n) => `$${n}`).join(', ');
    const base = { start: node.start, end: node.line.end };
    if (node.onbuild) {
      report({
        ...base,
        message: `ONBUILD ${node.command.keyword} reads ${list}, which is empty in the build that runs the trigger unless declared there; not changed: add ${names.map((n) => `ONBUILD ARG ${n}`).join(', ')} before it`,
      });
      continue;
    }
    report({
      ...base,
      message: `${node.command.keyword} reads ${list}, which BuildKit leaves empty in a stage that does not declare ${names.length > 1 ? 'them' : 'it'}: declared ${allNames.map((n) => `ARG ${n}`).join(', ')} in the stage`,
      ...(fix && fix.edits.length > 0 ? { fix } : {}),
    });
  }
}

/** Declared in the stage (or by ENV) before `node`; for an ONBUILD trigger, by an earlier `ONBUILD ARG`. */
function declaredAt(stage: Stage, node: InstructionNode, name: string): boolean {
  if (!node.onbuild) return stage.args.get(name, node.seq) !== undefined || stage.env.get(name, node.seq) !== undefined;
  return stage.declarations.some((d) => d.node.onbuild && d.node.seq < node.seq && d.name === name);
}

/**
 * `GOARCH=amd64` in a stage that runs on the build platform: every platform's image gets an amd64
 * binary. Suggested fix: the target's value. A RUN that sets several values (a loop over targets)
 * is left alone.
 */
function checkGoSettings(model: DockerfileModel, stage: Stage, report: RuleContext['report']): void {
  for (const declaration of stage.declarations) {
    if (declaration.node.onbuild || !GO_SETTINGS.has(declaration.name)) continue;
    if (declaration.value === null || !LITERAL.test(declaration.value)) continue;
    const edit = replaceDeclarationValue(model, declaration, `$${GO_SETTINGS.get(declaration.name)!}`);
    reportGo(
      model,
      stage,
      report,
      declaration.node,
      declaration.name,
      declaration.value,
      declaration.start,
      declaration.end,
      edit ?? 'quoted',
    );
  }
  for (const run of stage.runs) {
    if (run.node.onbuild || !runMentions(model, run, /\bGO(?:ARCH|OS)=/)) continue;
    const script = runScript(model, run);
    if (!script) continue;
    const settings = script.words.flatMap((word, i) => {
      const match = GO_ASSIGNMENT.exec(word.value);
      if (!match) return [];
      const command = script.words
        .slice(0, i)
        .reverse()
        .find((w) => w.isCommand);
      const assigns = word.isAssignment || (command !== undefined && DECLARING.has(basename(command.value)));
      return assigns ? [{ word, name: match[1]!, value: match[2]! }] : [];
    });
    for (const { word, name, value } of settings) {
      if (settings.some((s) => s.name === name && s.value !== value)) continue;
      const unquoted = script.text.slice(word.start, word.end) === word.value;
      const span = oneLineSpan(model, script, { start: word.start + name.length + 1, end: word.end });
      const wordSpan = script.sourceSpan(word);
      const edit = !unquoted
        ? 'quoted'
        : !span
          ? 'split across lines'
          : replaceSpan(model, span.start, span.end, `$${GO_SETTINGS.get(name)!}`);
      reportGo(model, stage, report, run.node, name, value, wordSpan.start, wordSpan.end, edit);
    }
  }
}

function reportGo(
  model: DockerfileModel,
  stage: Stage,
  report: RuleContext['report'],
  node: InstructionNode,
  name: string,
  value: string,
  start: number,
  end: number,
  /** The edit, or why there is none. */
  edit: TextEdit | string,
): void {
  const argument = GO_SETTINGS.get(name)!;
  const problem = `${name}=${value} in a stage that runs on the build platform ($BUILDPLATFORM): every platform's image gets the ${value} build`;
  if (typeof edit === 'string') {
    report({ start, end, message: `${problem}; not changed (${edit}): use ${name}=$${argument}` });
    return;
  }
  const fix: Fix = {
    ...combineFixes(declareArgs(model, stage, node, [argument]), { edits: [edit], addedLines: 0 }),
    level: 'suggested',
  };
  report({ start, end, message: `${problem}: use ${name}=$${argument} (suggested fix)`, fix });
}
