import { insertIntoHeredoc, prefixCommand } from '../core/fix/edits.js';
import { commandName, scriptCommands } from '../core/model/command-list.js';
import type { DockerfileModel, RunNode, Stage } from '../core/model/model.js';
import { cleanPath, mentionsCacheMount } from '../core/parse/mount.js';
import type { Rule } from '../core/rule.js';
import { execWords, runMentions, runScript, whyNotShellEditable, type RunScript } from '../core/model/script.js';
import { basename } from '../core/parse/shell.js';
import type { Fix } from '../core/types.js';

const DOCKER_CLEAN = '/etc/apt/apt.conf.d/docker-clean';
const REMOVE_DOCKER_CLEAN = `rm -f ${DOCKER_CLEAN}`;
/** The `apt` program (not apt-get) deletes what it downloaded unless told to keep it. */
const KEEP_FOR_APT = `echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`;
/** What in an earlier instruction (or this RUN) shows the stage already deals with apt's clean-up. */
const HANDLED = /docker-clean|Keep-Downloaded-Packages/;
const APT_PROGRAMS = new Set(['apt-get', 'apt', 'aptitude']);
/** Subcommands that download packages into /var/cache/apt/archives. */
const DOWNLOADING = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'reinstall',
  'build-dep',
  'satisfy',
]);
const OPTION_WITH_VALUE = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release']);
/** Targets that hold apt's downloaded packages. */
const ARCHIVES = '/var/cache/apt/archives';

/**
 * Base images that are clearly not Debian or Ubuntu (so have no docker-clean): a name or tag word
 * such as `alpine`, `fedora`, `ubi9`, `distroless` (Debian inside, but no apt). See the rule's page.
 */
const NOT_DEBIAN =
  /(?:^|[/:_.@-])(?:alpine|fedora|centos|rockylinux|almalinux|rhel|ubi|ubi-minimal|amazonlinux|al2|al2023|oraclelinux|opensuse|suse|sles|sle|archlinux|busybox|wolfi|chainguard|distroless|photon|clearlinux|gentoo|voidlinux|nixos|mariner|azurelinux|windows|nanoserver|servercore)(?=$|[/:_.@-]|\d)/i;

export const aptKeepDownloads: Rule = {
  id: 'apt-keep-downloads',
  summary:
    "Debian and Ubuntu images delete apt's downloads after every install, so a cache mount of /var/cache/apt stays empty: remove docker-clean first (suggested).",
  fixLevel: 'suggested',
  // The cache mount covers /var/cache/apt: that directory or one above it.
  prefilter: (source) => mentionsCacheMount(source) && source.includes('/var'),
  evidence: [
    'https://docs.docker.com/reference/dockerfile/#example-cache-apt-packages',
    'https://github.com/debuerreotype/docker-debian-artifacts/issues/126',
    'https://github.com/debuerreotype/debuerreotype/pull/178',
  ],
  check({ model, report }) {
    const reported = new Set<Stage>();
    for (const stage of model.stages) {
      if (ancestors(stage).some((s) => reported.has(s))) continue;
      const image = rootImage(stage);
      if (image === 'scratch' || NOT_DEBIAN.test(image)) continue;
      for (const run of stage.runs) {
        const mount = run.mounts.find((m) => m.type === 'cache' && m.target !== undefined && holdsArchives(m.target));
        if (!mount || !runMentions(model, run, 'apt')) continue;
        const script = runScript(model, run);
        const downloads = aptDownloads(run, script);
        if (downloads.length === 0 || handled(model, stage, run)) continue;
        reported.add(stage);
        const usesApt = downloads.includes('apt');
        const what = `cache mount ${mount.target!} stays empty: the base image's ${DOCKER_CLEAN} deletes downloaded packages after every install`;
        const whyNot = whyNotShellEditable(run, script);
        const base = { start: run.node.start, end: run.node.line.end };
        // whyNot is set whenever there is no script (exec form)
        if (whyNot || !script) {
          report({ ...base, message: `${what}; not changed: ${whyNot!}; remove that file in an earlier RUN` });
          continue;
        }
        const later =
          'the file stays removed for the rest of this stage and the stages built from it, so their RUNs without a cache mount keep downloaded packages in their layers';
        report({
          ...base,
          message: `${what}: suggested fix: remove it at the start of this RUN${usesApt ? ' and keep the downloads of `apt`' : ''} (${later})`,
          fix: fixFor(model, run, script, usesApt),
        });
        break; // the fix covers the stage's later RUNs
      }
    }
  },
};

/** The apt programs (`apt-get`, `apt`, `aptitude`) the RUN runs to download and install packages. */
function aptDownloads(run: RunNode, script: RunScript | undefined): string[] {
  const commands = script
    ? scriptCommands(script).commands.map((c) => c.words.slice(Math.max(0, commandName(c))).map((w) => w.value))
    : [execWords(run).map((w) => w.value)];
  return commands.flatMap((words) => {
    const name = basename(words[0] ?? '');
    if (!APT_PROGRAMS.has(name)) return [];
    const subcommand = words
      .slice(1)
      .find((w, i, rest) => !w.startsWith('-') && !OPTION_WITH_VALUE.has(rest[i - 1] ?? ''));
    return subcommand !== undefined && DOWNLOADING.has(subcommand) ? [name] : [];
  });
}

function holdsArchives(target: string): boolean {
  if (!target.startsWith('/')) return false;
  const path = cleanPath(target);
  return ARCHIVES === path || ARCHIVES.startsWith(`${path}/`);
}

function ancestors(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s = stage.parent; s; s = s.parent) chain.push(s);
  return chain;
}

/** The image at the root of the stage's FROM chain, lower-cased. */
function rootImage(stage: Stage): string {
  let root = stage;
  while (root.parent) root = root.parent;
  return root.base.toLowerCase();
}

/**
 * Whether the stage (or one it is built from) already removed or edited docker-clean, or set
 * Keep-Downloaded-Packages, before this RUN or in it; or put its own files into apt.conf.d.
 */
function handled(model: DockerfileModel, stage: Stage, run: RunNode): boolean {
  for (const s of [stage, ...ancestors(stage)]) {
    for (const node of s.instructions) {
      if (node.seq > run.node.seq || node.onbuild) continue;
      const text = model.source.slice(node.start, node.end);
      if (node.keyword === 'RUN' && HANDLED.test(text)) return true;
      if ((node.keyword === 'COPY' || node.keyword === 'ADD') && /\/etc\/apt\/apt\.conf\.d/.test(node.line.text))
        return true;
    }
  }
  return HANDLED.test(model.source.slice(run.node.start, run.node.end));
}

function fixFor(model: DockerfileModel, run: RunNode, script: RunScript, usesApt: boolean): Fix {
  const commands = usesApt ? [REMOVE_DOCKER_CLEAN, KEEP_FOR_APT] : [REMOVE_DOCKER_CLEAN];
  if (script.kind === 'command-line')
    return { edits: [prefixCommand(run, commands.map((c) => `${c}; `).join(''))], addedLines: 0 };
  const afterShebang = script.text.startsWith('#!') ? 1 : 0;
  return insertIntoHeredoc(model, script.sourceStart, afterShebang, commands.join('; '));
}
