/**
 * The gateway frontend: reads the Dockerfile, rewrites it, and has the upstream Dockerfile
 * frontend build the rewritten file, returning the upstream's result or error unchanged.
 * Subrequests (`--call=outline|targets`, `--check`) are answered on the user's own file; `--check`
 * gets dfrewrite's findings added to the upstream's.
 */
import {
  MAX_MESSAGE_BYTES,
  connectBridge,
  isMessageTooLarge,
  statusOf,
  type LLBBridge,
} from './gateway/bridge-client.js';
import { readDockerfile, type DockerfileLookup, type DockerfileSource } from './dockerfile-source.js';
import {
  encodeSolveRequest,
  withoutRefDefinitions,
  type ReturnRequest,
  type SolveResponse,
  type WarnRequest,
} from './gateway/messages.js';
import { LINT_REQUEST, addToLintResult, resultMetadata } from './check-result.js';
import { filesFromScratch } from './gateway/llb.js';
import type { ByteChannel } from './gateway/channel.js';
import { encodeUtf8 } from '../core/parse/utf8.js';
import { frontendOptions, readSettings, type Settings } from './options.js';
import { findingNotices, noticeWarning, notRewritten, optionWarning, vertexName, type LintNotice } from './notices.js';
import { loadEngine, rewriteDockerfile, tooLargeToRewrite } from './engine.js';
import { detectSyntax } from './syntax.js';
import { upstreamRequest, type ReplacementDockerfile, type Upstream } from './upstream.js';

const CAP_WARNINGS = 'gateway.warnings';
const CAP_EVALUATE = 'gateway.solve.evaluate';
/**
 * gRPC's default message size limit, which BuildKit's gateway kept before v0.14 (Docker 20.10:
 * v0.8): a larger Solve may be refused, so warnings wait until the upstream has accepted it.
 */
const GRPC_DEFAULT_LIMIT = 4 << 20;

/** What the frontend needs of its process: the embedded engine's (embedded/main.ts), or Node's in the tests. */
export interface FrontendIO {
  env: Record<string, string | undefined>;
  /** The gRPC stream from and to BuildKit: stdin and stdout. */
  channel: ByteChannel;
  /** Goes to the daemon's log. */
  log(message: string): void;
  /**
   * Gives up root, or says how it was given up (the binary's native/main.c does it before any
   * JavaScript runs); called before anything of the build is read. Returns what was done, or throws.
   */
  dropPrivileges(): string;
  /** Milliseconds since the process started, and of CPU used (for the log). */
  now(): number;
  cpuTime(): number;
  /** `uid=U gid=G groups=…`, for DFREWRITE_DEBUG. */
  identity(): string;
  /** Resolves once what was just sent has gone out (before a step that takes the thread). */
  idle(): Promise<void>;
}

interface Context {
  bridge: LLBBridge;
  options: Map<string, string>;
  inputs: Map<string, Uint8Array>;
  settings: Settings;
  /**
   * The daemon's capabilities, awaited only once the Dockerfile has been read (before the
   * upstream's Solve): on BuildKit before v0.11 a Ping re-runs the emulator checks (tens of ms).
   */
  caps: Promise<Set<string>>;
  io: FrontendIO;
  /** What dropPrivileges did. */
  privileges: string;
  /** Notes the time of a step, for DFREWRITE_DEBUG. */
  mark(what: string): void;
}

/** Runs one build; resolves to the process exit code. */
export async function runFrontend(io: FrontendIO): Promise<number> {
  // BuildKit always sets it; without it nobody is on the other end of stdin (`docker run IMAGE`).
  if (io.env.BUILDKIT_SESSION_ID === undefined) {
    io.log('not started by BuildKit: this image is a Dockerfile frontend, used as `# syntax=IMAGE` on a Dockerfile');
    return 2;
  }
  let privileges: string;
  try {
    privileges = io.dropPrivileges();
  } catch (error) {
    io.log(`fatal: cannot give up root: ${messageOf(error)}`);
    return 1;
  }
  const options = frontendOptions(io.env);
  const settings = readSettings(options);
  for (const arg of settings.unknownArguments) io.log(`ignoring unknown argument on the syntax line: ${arg}`);

  const marks: string[] = [];
  const mark = (what: string) => {
    if (settings.debug) marks.push(`${what} ${Math.round(io.now())}`);
  };
  mark('started');
  const bridge = connectBridge(io.channel);
  try {
    const caps = bridge.ping();
    caps.catch(() => undefined); // awaited below, whatever path the build takes
    const inputs = await bridge.inputs();
    mark('daemon');
    const context: Context = { bridge, options, inputs, settings, caps, io, privileges, mark };
    const outcome = options.has('requestid') ? await subrequest(context) : await build(context);
    await caps;
    mark('upstream');
    await bridge.return(outcome).catch(async (error: unknown) => {
      if (!('result' in outcome) || !isMessageTooLarge(error)) {
        io.log(`Return failed; it carried ${describeOutcome(outcome)}`);
        throw error;
      }
      // BuildKit before v0.14 (4 MiB): the references' definitions carry the Dockerfile.
      io.log(`Return refused for its size (${describeOutcome(outcome)}): returned without the references' definitions`);
      await bridge.return({ result: withoutRefDefinitions(outcome.result) });
    });
    io.log(`returned ${Math.round(io.now())} ms after start, ${Math.round(io.cpuTime())} ms CPU (${privileges})`);
    if (marks.length > 0) io.log(`debug: ms after start: ${marks.join(', ')}`);
    return 0;
  } catch (error) {
    io.log(`fatal: ${messageOf(error)}`);
    return 1;
  } finally {
    bridge.close();
  }
}

interface BuildPlan {
  upstream: Upstream;
  /** The rewritten Dockerfile for the upstream; none: the upstream reads the user's file. */
  replacement?: ReplacementDockerfile;
  /** The digest of the vertex holding the replacement: warnings are attached to it. */
  vertex?: string;
  source?: DockerfileSource;
  /** Why the file is not rewritten at all (the upstream then reads the user's own file). */
  skipped?: string;
  notices: LintNotice[];
  /** Warnings about dfrewrite's own options (an unknown rule id). */
  optionMessages: string[];
  summary?: string;
}

async function build(context: Context): Promise<ReturnRequest> {
  const { bridge, options, inputs, caps, io } = context;
  const plan = await planBuild(context).catch((error: unknown): BuildPlan => {
    io.log(`Dockerfile passed on unchanged: ${messageOf(error)}`);
    return { upstream: defaultUpstream(context.settings), notices: [], optionMessages: [] };
  });
  const warns = (await caps).has(CAP_WARNINGS);
  // Encoded once: its size decides whether the daemon can take it.
  const encoded = encodeSolveRequest(upstreamRequest(options, inputs, plan.upstream, plan.replacement));
  const size = plan.replacement ? encoded.length : 0;
  let fallback = plan.skipped;
  if (size > MAX_MESSAGE_BYTES) fallback = tooLarge(size, MAX_MESSAGE_BYTES);
  // Sent one by one, so they are listed in order, while the upstream builds; after it, when the
  // daemon might still refuse the Solve for its size (the warnings would then be wrong).
  const early = fallback === undefined && size <= GRPC_DEFAULT_LIMIT;
  const hasWarnings = plan.notices.length > 0 || plan.optionMessages.length > 0;
  const warned = warns && early && hasWarnings && plan.vertex ? showAndWarn(context, plan, plan.vertex) : undefined;

  let response: SolveResponse | undefined;
  if (fallback === undefined) {
    try {
      response = await bridge.solve(encoded);
    } catch (error) {
      if (!plan.replacement || !isMessageTooLarge(error)) {
        await warned;
        return failed(context, plan.upstream, error);
      }
      fallback = tooLarge(size, limitOf(error));
    }
  }
  if (fallback !== undefined) {
    // Not rewritten for its size, or the daemon cannot take the rewritten file: the upstream
    // reads the user's own file.
    const reason = `${notRewritten(fallback)}; building the original file`;
    io.log(`${plan.source?.filename ?? 'Dockerfile'}: ${reason}`);
    const vertex = await showStep(bridge, reason).catch(() => undefined);
    const request = upstreamRequest(options, inputs, plan.upstream);
    const skipped = plan.skipped ? [notRewritten(plan.skipped)] : [];
    const sending =
      warns && vertex
        ? sendWarnings(context, [
            ...skipped.map((message) => optionWarning(message, vertex)),
            ...warningsOf(plan, vertex, `; not applied: ${fallback}`),
          ])
        : undefined;
    try {
      response = await bridge.solve(request);
    } catch (error) {
      await sending;
      return failed(context, plan.upstream, error);
    }
    await sending;
  } else if (warns && !early && hasWarnings && plan.vertex) {
    await sendWarnings(context, warningsOf(plan, plan.vertex));
  }
  await warned;
  return { result: response!.result };
}

async function planBuild(context: Context): Promise<BuildPlan> {
  const { options, settings, io } = context;
  const plan: BuildPlan = { upstream: defaultUpstream(settings), notices: [], optionMessages: [] };
  if (!settings.enabled) {
    io.log('DFREWRITE=off: Dockerfile passed on unchanged');
    return plan;
  }
  const source = await readLoadingEngine(context);
  if ('unavailable' in source) {
    io.log(`Dockerfile passed on unchanged: ${source.unavailable}`);
    return plan;
  }
  plan.source = source;
  context.mark('read');
  plan.skipped = tooLargeToRewrite(source.data);
  if (plan.skipped) return plan;
  const chosen = chooseUpstream(settings, options, source.data);
  plan.upstream = chosen.upstream;
  const rewritten = await rewriteDockerfile(source.data, settings);
  // Shown with the result, so that a mistyped argument does not go unnoticed.
  const notes = [
    ...(settings.unknownArguments.length > 0 ? [`ignored ${settings.unknownArguments.join(' ')}`] : []),
    ...(chosen.fromSyntaxLine ? [`upstream ${chosen.upstream.ref} from the syntax line`] : []),
  ];
  context.mark('rewritten');
  const summary = [rewritten.summary, ...notes].join('; ');
  plan.summary = summary;
  io.log(`${source.filename}: ${summary}`);
  if (rewritten.unknownRules.length > 0) {
    plan.optionMessages.push(
      `unknown rule ${rewritten.unknownRules.map((id) => `"${id}"`).join(', ')} in --disable/DFREWRITE_DISABLE ignored; the other rules ran (known: ${rewritten.knownRules.join(', ')})`,
    );
  }
  const files = [{ path: source.filename, data: rewritten.data }];
  if (source.dockerignore) files.push({ path: `${source.filename}.dockerignore`, data: source.dockerignore });
  const debug = settings.debug ? ` (${debugNote(context)})` : '';
  const definition = filesFromScratch(files, vertexName(summary) + debug);
  plan.replacement = { filename: source.filename, definition: definition.bytes };
  plan.vertex = definition.digest;
  plan.notices = findingNotices(rewritten.findings, rewritten.descriptions, source.data);
  return plan;
}

/** A subrequest describes the user's own file: forwarded unchanged; `--check` gets our findings. */
async function subrequest(context: Context): Promise<ReturnRequest> {
  const { bridge, options, inputs, settings, io } = context;
  const lint = settings.enabled && options.get('requestid') === LINT_REQUEST;
  let upstream = defaultUpstream(settings);
  let source: DockerfileSource | undefined;
  if (lint || (settings.enabled && followsSyntaxLine(settings, options))) {
    const reading = lint
      ? readLoadingEngine(context)
      : readDockerfile(bridge, options, inputs, io.env.BUILDKIT_SESSION_ID ?? '');
    const read = await reading.catch((error: unknown) => ({ unavailable: messageOf(error) }));
    if ('unavailable' in read) io.log(`subrequest on the user's file; not read here: ${read.unavailable}`);
    else {
      source = read;
      upstream = chooseUpstream(settings, options, read.data).upstream;
    }
  }
  // --check: our findings are worked out while the upstream lints.
  const findings =
    lint && source
      ? rewriteDockerfile(source.data, settings).then((r) => findingNotices(r.findings, r.descriptions, source.data))
      : undefined;
  findings?.catch(() => undefined);
  let response: SolveResponse;
  try {
    response = await bridge.solve(upstreamRequest(options, inputs, upstream));
  } catch (error) {
    return failed(context, upstream, error);
  }
  if (!findings || !source) return { result: response.result };
  try {
    const notices = await findings;
    io.log(`${source.filename}: --check: ${notices.length} findings added`);
    return { result: addToLintResult(response.result, notices, { filename: source.filename, data: source.data }) };
  } catch (error) {
    io.log(`--check: findings not added: ${messageOf(error)}`);
    return { result: response.result };
  }
}

/**
 * Reads the Dockerfile for a rewrite, loading the engine while the daemon looks the file up: the
 * engine's first load takes the thread for some milliseconds, which then overlap the daemon's work.
 * (A failure to load shows where the engine is used: the file then goes on unchanged.)
 */
async function readLoadingEngine(context: Context): Promise<DockerfileLookup> {
  const { bridge, options, inputs, io } = context;
  const reading = readDockerfile(bridge, options, inputs, io.env.BUILDKIT_SESSION_ID ?? '');
  reading.catch(() => undefined); // awaited below
  await io
    .idle()
    .then(loadEngine)
    .catch(() => undefined);
  context.mark('engine');
  return reading;
}

function defaultUpstream(settings: Settings): Upstream {
  return { ref: settings.upstream, cmdline: settings.upstream };
}

/** Started by BUILDKIT_SYNTAX, with no upstream named: the file's own syntax line names it. */
function followsSyntaxLine(settings: Settings, options: Map<string, string>): boolean {
  return !settings.upstreamExplicit && options.has('build-arg:BUILDKIT_SYNTAX');
}

/**
 * The upstream: `--upstream`/DFREWRITE_UPSTREAM when given. Otherwise, when BUILDKIT_SYNTAX
 * started dfrewrite on a file with its own `# syntax=` line (which BUILDKIT_SYNTAX overrides),
 * the frontend that line names, with its arguments: the user chose it. A line naming dfrewrite
 * itself is not followed again.
 */
function chooseUpstream(
  settings: Settings,
  options: Map<string, string>,
  data: Uint8Array,
): { upstream: Upstream; fromSyntaxLine: boolean } {
  const fallback = { upstream: defaultUpstream(settings), fromSyntaxLine: false };
  if (!followsSyntaxLine(settings, options)) return fallback;
  const syntax = detectSyntax(data);
  if (!syntax) return fallback;
  if (syntax.ref === settings.self) return fallback;
  return { upstream: { ref: syntax.ref, cmdline: syntax.cmdline }, fromSyntaxLine: true };
}

function warningsOf(plan: BuildPlan, vertex: string, suffix = ''): WarnRequest[] {
  const findings = plan.source
    ? plan.notices.map((n) => noticeWarning({ ...n, detail: n.detail + suffix }, plan.source!, vertex))
    : [];
  return [...plan.optionMessages.map((m) => optionWarning(m, vertex)), ...findings];
}

async function sendWarnings(context: Context, warnings: WarnRequest[]): Promise<void> {
  const { bridge, io } = context;
  for (const warning of warnings) {
    // Each carries the whole file, for its lines: at most 1 MiB (a larger one is not rewritten).
    await bridge.warn(warning).catch((error: unknown) => io.log(`could not send a warning: ${messageOf(error)}`));
  }
}

/**
 * The client lists a warning under its step only when it already knows the step, so the step
 * holding the rewritten file is built first (the upstream then finds it done), then warned on.
 */
async function showAndWarn(context: Context, plan: BuildPlan, vertex: string): Promise<void> {
  if ((await context.caps).has(CAP_EVALUATE) && plan.replacement) {
    await context.bridge.solve({ definition: plan.replacement.definition, evaluate: true }).catch((error: unknown) => {
      context.io.log(`could not build the rewritten file's step first: ${messageOf(error)}`);
    });
  }
  await sendWarnings(context, warningsOf(plan, vertex));
}

/** A step of its own in the build output, named `[dfrewrite] <what>`; resolves to its digest. */
async function showStep(bridge: LLBBridge, what: string): Promise<string> {
  const step = filesFromScratch([{ path: 'dfrewrite.txt', data: encodeUtf8(`${what}\n`) }], vertexName(what));
  const { refId } = await bridge.solve({ definition: step.bytes });
  // Solving is lazy: reading from it makes the daemon run (and show) it.
  await bridge.readFile(refId, 'dfrewrite.txt');
  return step.digest;
}

function failed(context: Context, upstream: Upstream, error: unknown): ReturnRequest {
  context.io.log(`the upstream frontend (${upstream.ref}) failed: ${messageOf(error)}`);
  return { error: statusOf(error) };
}

function tooLarge(size: number, limit: number): string {
  return `the rewritten Dockerfile makes a ${mib(size)} request, over the daemon's ${mib(limit)} message limit`;
}

/** The receiver's limit from gRPC's "received message larger than max (N vs. LIMIT)". */
function limitOf(error: unknown): number {
  const match = /vs\.?\s*(\d+)\)/.exec(messageOf(error));
  return match ? Number(match[1]) : GRPC_DEFAULT_LIMIT;
}

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1).replace(/\.0$/, '')} MiB`;
}

function debugNote({ io, privileges }: Context): string {
  return `debug: ${io.identity()}; ${privileges}; ${Math.round(io.now())} ms after start`;
}

/** Field sizes of a ReturnRequest's content, for the log. */
function describeOutcome(outcome: ReturnRequest): string {
  if ('error' in outcome) return `an error of ${outcome.error.length} bytes`;
  const metadata = [...resultMetadata(outcome.result)].map(([key, value]) => `${key} ${value.length}`).join(', ');
  return `a result of ${outcome.result.length} bytes (metadata: ${metadata || 'none'})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
