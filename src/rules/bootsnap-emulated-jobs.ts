import { combineFixes, declareArgs, insertText } from '../core/fix/edits.js';
import { commandName, scriptCommands } from '../core/model/command-list.js';
import type { DockerfileModel, RunNode } from '../core/model/model.js';
import { emulationGuard, guardArgs, guardFix, guardMarker, stagePlatform } from '../core/model/platform.js';
import type { Report, Rule } from '../core/rule.js';
import { execWords, runMentions, runScript, whyNotShellEditable } from '../core/model/script.js';
import { basename, type ShellWord } from '../core/parse/shell.js';
import type { Fix } from '../core/types.js';

/** Shell variable the guard fills with `-j 1` where the step runs emulated. */
const FLAG_VAR = 'dfrewrite_bootsnap_flags';
const GUARD_MARKER = guardMarker(FLAG_VAR);
/** bootsnap's own option for its worker count (OptionParser: `-j 1`, `-j1`, `--jobs 1`, `--jobs=1`). */
const JOBS = /^(?:-j|--jobs(?:=|$))/;

interface Precompile {
  /** The `precompile` word: `$dfrewrite_bootsnap_flags` goes after it. */
  subcommand: ShellWord;
}

export const bootsnapEmulatedJobs: Rule = {
  id: 'bootsnap-emulated-jobs',
  summary:
    '`bootsnap precompile` hangs under QEMU with parallel workers: run it with -j 1 where the stage runs emulated, in parallel natively.',
  fixLevel: 'safe',
  prefilter: (source) => source.includes('bootsnap'),
  evidence: ['https://github.com/rails/bootsnap/issues/495', 'https://github.com/rails/rails/issues/54039'],
  check({ model, report }) {
    for (const stage of model.stages) {
      const platform = stagePlatform(stage);
      if (platform.kind === 'build') continue;
      const found = stage.runs.flatMap((run) => {
        const calls = precompileCalls(model, run);
        return calls.length > 0 ? [{ run, calls }] : [];
      });
      if (found.length === 0) continue;
      const guard = emulationGuard(platform, FLAG_VAR, '"-j 1"');
      let args: Fix | undefined;
      for (const { run, calls } of found) {
        const base: Report = { start: run.node.start, end: run.node.line.end, message: '' };
        const what = '`bootsnap precompile` runs parallel workers, which hang under QEMU';
        const script = runScript(model, run);
        const whyNot =
          script && run.node.onbuild
            ? 'ONBUILD runs in a stage not known here'
            : whyNotShellEditable(run, script, 'guard');
        // whyNot is set whenever there is no script (exec form)
        if (whyNot || !script) {
          report({ ...base, message: `${what}; not changed: ${whyNot!}` });
          continue;
        }
        // One ARG block per stage, before the first RUN fixed; every fix carries the same edit.
        args ??= declareArgs(model, stage, run.node, guardArgs(platform));
        const fix = combineFixes(args, guardFix(model, run, script, guard), {
          edits: calls.map((call) => insertText(script.sourceSpan(call.subcommand).end, ` $${FLAG_VAR}`)),
          addedLines: 0,
        });
        report({ ...base, message: `${what}: -j 1 where this stage runs emulated, parallel natively`, fix });
      }
    }
  },
};

/** The `bootsnap precompile` calls of a RUN that give no worker count; none once guarded. */
function precompileCalls(model: DockerfileModel, run: RunNode): Precompile[] {
  if (!runMentions(model, run, 'bootsnap')) return [];
  const script = runScript(model, run);
  if (script?.text.includes(GUARD_MARKER)) return [];
  const commands = script
    ? scriptCommands(script).commands.map((c) => c.words.slice(Math.max(0, commandName(c))))
    : [execWords(run)];
  const calls: Precompile[] = [];
  for (const words of commands) {
    let i = 0;
    const name = basename(words[0]?.value ?? '');
    if (name === 'bundle' && words[1]?.value === 'exec' && basename(words[2]?.value ?? '') === 'bootsnap') i = 2;
    else if (name !== 'bootsnap') continue;
    const args = words.slice(i + 1);
    const subcommand = args.find((w) => !w.value.startsWith('-') && !isOptionValue(args, w));
    if (subcommand?.value !== 'precompile') continue;
    if (!args.some((w) => JOBS.test(w.value))) calls.push({ subcommand });
  }
  return calls;
}

/** bootsnap's global options that take a separate value. */
function isOptionValue(args: ShellWord[], word: ShellWord): boolean {
  const before = args[args.indexOf(word) - 1]?.value;
  return before === '--cache-dir' || before === '--exclude';
}
