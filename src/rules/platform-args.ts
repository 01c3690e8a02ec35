import {
  combineFixes,
  declareArgs,
  dropArgDefault,
  removeDeclaration,
  replaceDeclarationValue,
  replaceSpan,
} from '../core/fix/edits.js';
import type { Declaration, DockerfileModel, InstructionNode, Stage } from '../core/model/model.js';
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
    "TARGETARCH and the other platform arguments are filled in only where declared without a default: declare them, drop defaults; uname -m in a $BUILDPLATFORM stage names the build machine's architecture.",
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
      if (stagePlatform(stage).kind !== 'build') continue;
      checkGoSettings(model, stage, report);
      checkArchProbes(model, stage, report);
    }
  },
};

const references = (text: string): string[] => [...text.matchAll(REFERENCE)].map((m) => m[1]!);
const what = (name: string, value: string): string => `ARG ${name}=${value}`;

/**
 * `ARG TARGETARCH=amd64` (in a stage, in the global scope, under ONBUILD): the default wins over
 * BuildKit's value. In the global scope the declaration goes: there BuildKit fills the automatic
 * arguments in by itself, and before v0.17 a global `ARG TARGETARCH` without a default leaves it
 * empty in FROM and in every stage (measured on 0.8, docs/arg-scoping.md).
 */
function checkDefaults(model: DockerfileModel, report: RuleContext['report']): void {
  for (const declaration of model.declarations) {
    if (declaration.keyword !== 'ARG' || !AUTOMATIC_SET.has(declaration.name)) continue;
    if (declaration.value === null) {
      if (!declaration.stage) reportGlobal(model, report, declaration);
      continue;
    }
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
    const problem = `${what(declaration.name, declaration.value)}: a default replaces the value BuildKit fills in for ${declaration.name} (${effect}, without a warning)`;
    if (!declaration.stage) {
      reportGlobal(model, report, declaration, problem);
      continue;
    }
    const edit = dropArgDefault(model, declaration);
    report({
      ...base,
      message: `${problem}: default dropped`,
      ...(edit ? { fix: { edits: [edit], addedLines: 0 } } : {}),
    });
  }
}

/** A global declaration of an automatic argument: removed, since without a default it empties the value before BuildKit 0.17. */
function reportGlobal(
  model: DockerfileModel,
  report: RuleContext['report'],
  declaration: Declaration,
  problem = `ARG ${declaration.name} in the global scope without a default: BuildKit before v0.17 (Docker 20.10 among them) leaves ${declaration.name} empty in FROM and in the stages that declare it`,
): void {
  const fix = removeDeclaration(model, declaration);
  const why = `BuildKit fills it in for FROM and for stages by itself`;
  report({
    start: declaration.start,
    end: declaration.end,
    message: fix
      ? `${problem}; ${why}: declaration removed`
      : `${problem}; ${why}; not changed (the ARG spans lines): remove ARG ${declaration.name} from the global scope`,
    ...(fix ? { fix } : {}),
  });
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

/**
 * Commands that print the architecture they run on, with the name they give for amd64 / arm64.
 * Only Debian's names equal TARGETARCH's (for amd64, arm64, riscv64, s390x; not for 386 = i386,
 * arm = armhf/armel, ppc64le = ppc64el, mips64le = mips64el).
 */
const ARCH_PROBES: { pattern: string; names: string; exact: boolean }[] = [
  { pattern: 'uname[ \\t]+(?:-[a-z]*m[a-z]*|--machine)', names: 'x86_64 / aarch64', exact: false },
  { pattern: 'arch', names: 'x86_64 / aarch64', exact: false },
  { pattern: 'dpkg[ \\t]+--print-architecture', names: 'amd64 / arm64', exact: true },
  { pattern: 'apk[ \\t]+--print-arch', names: 'x86_64 / aarch64', exact: false },
];
/** A probe run as a command substitution (`$(uname -m)`, `` `arch` ``) or as a command of its own. */
const ARCH_PROBE = new RegExp(
  `(\\$\\([ \\t]*|\`[ \\t]*|(?<=^|[;&|\\n({][ \\t]*|^[ \\t]*))(?:/usr)?(?:/s?bin/)?(${ARCH_PROBES.map((p) => `(?:${p.pattern})`).join('|')})(?=[ \\t]*(?:[)\`;&|\\n>]|$))`,
  'g',
);

/**
 * `$(uname -m)`, `arch`, `dpkg --print-architecture`, `apk --print-arch` in a stage that runs on
 * the build platform and reads no TARGET* argument print the build machine's architecture, not the target's: a download or
 * package picked by it is the wrong one in every other platform's image. `$(dpkg
 * --print-architecture)` gets `${TARGETARCH}` as a suggested fix (with the ARG declared); the others
 * name the architecture differently, so they are reported with the mapping to write.
 */
function checkArchProbes(model: DockerfileModel, stage: Stage, report: RuleContext['report']): void {
  // A stage that reads $TARGETARCH (or another TARGET* argument) handles the target itself: there
  // the build machine's architecture picks the tools the stage runs (astral-sh/uv's rustup-init).
  if (stage.instructions.some((node) => readsOf(model, node).some((name) => name.startsWith('TARGET')))) return;
  for (const run of stage.runs) {
    if (run.node.onbuild || !runMentions(model, run, /uname|arch|--print-arch/)) continue;
    const script = runScript(model, run);
    if (!script) continue;
    const commentFree = script.text.replace(/(^|\n)[ \t]*#[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
    for (const match of commentFree.matchAll(ARCH_PROBE)) {
      if (isCasePattern(commentFree, match.index, match[0].length, match[1] ?? '')) continue;
      const probe = ARCH_PROBES.find((p) => new RegExp(`^(?:${p.pattern})$`).test(match[2]!))!;
      const command = match[2]!.replace(/[ \t]+/g, ' ');
      const opener = match[1] ?? '';
      const start = match.index + match[0].length - match[2]!.length;
      const span = script.sourceSpan({ start, end: start + match[2]!.length });
      const problem = `${command} in a stage that runs on the build platform ($BUILDPLATFORM) prints the build machine's architecture, not the target's: every platform's image gets what it picks for the build machine`;
      const substitution = substitutionSpan(commentFree, match.index, opener, match[0].length);
      const fixSpan = probe.exact && substitution ? oneLineSpan(model, script, substitution) : undefined;
      if (!fixSpan) {
        const use = probe.exact
          ? 'use $TARGETARCH'
          : `use $TARGETARCH, which names them amd64 / arm64 where ${command} prints ${probe.names}`;
        report({
          start: span.start,
          end: span.end,
          message: `${problem}; not changed: ${use} (declare ARG TARGETARCH)`,
        });
        continue;
      }
      const fix: Fix = {
        ...combineFixes(declareArgs(model, stage, run.node, ['TARGETARCH']), {
          edits: [replaceSpan(model, fixSpan.start, fixSpan.end, '${TARGETARCH}')],
          addedLines: 0,
        }),
        level: 'suggested',
      };
      report({
        start: span.start,
        end: span.end,
        message: `${problem}: use \${TARGETARCH} (suggested fix: the same names for amd64, arm64, riscv64 and s390x; Debian says i386, armhf/armel, ppc64el where TARGETARCH says 386, arm, ppc64le)`,
        fix,
      });
    }
  }
}

/**
 * `x86_64|arch)`, `;; arch)`: a bare probe word that a `)` closes, after a `|`, a `;;`, a `(` or
 * at the start of a line, is a case pattern, not a command. (`$(cd /; arch)` stays a command.)
 */
function isCasePattern(text: string, at: number, length: number, opener: string): boolean {
  if (opener !== '' || !/^[ \t]*\)/.test(text.slice(at + length))) return false;
  const before = text.slice(0, at).replace(/[ \t]+$/, '');
  return before === '' || /(?:\||;;|\(|\n)$/.test(before);
}

/** The span of `$( probe )` or `` `probe` `` around a match that opened one, in script offsets. */
function substitutionSpan(
  text: string,
  at: number,
  opener: string,
  length: number,
): { start: number; end: number } | undefined {
  if (opener === '') return undefined;
  const close = opener.startsWith('$') ? ')' : '`';
  let end = at + length;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return text[end] === close ? { start: at, end: end + 1 } : undefined;
}
