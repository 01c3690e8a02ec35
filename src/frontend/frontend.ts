/**
 * The gateway frontend: reads the Dockerfile, rewrites it, and has the upstream Dockerfile
 * frontend build the rewritten file, returning the upstream's result or error unchanged.
 */
import type { Readable, Writable } from 'node:stream';
import { connectBridge, statusOf, type LLBBridge } from './bridge-client.js';
import { readDockerfile } from './dockerfile-source.js';
import type { ReturnRequest, WarnRequest } from './gateway-messages.js';
import { filesFromScratch } from './llb.js';
import { frontendOptions, readSettings, type Settings } from './options.js';
import { findingWarnings, vertexName } from './report.js';
import { rewriteDockerfile } from './rewrite-dockerfile.js';
import { spliceStdioToSocket } from './stdio-socket.js';
import { upstreamRequest, type ReplacementDockerfile } from './upstream.js';

const CAP_WARNINGS = 'gateway.warnings';

export interface FrontendIO {
  env: NodeJS.ProcessEnv;
  /** The gRPC stream from and to BuildKit. */
  stdin: Readable;
  stdout: Writable;
  /** Goes to the daemon's log. */
  log(message: string): void;
}

/** Runs one build; resolves to the process exit code. */
export async function runFrontend(io: FrontendIO): Promise<number> {
  // BuildKit always sets it; without it nobody is on the other end of stdin (`docker run IMAGE`).
  if (io.env.BUILDKIT_SESSION_ID === undefined) {
    io.log('not started by BuildKit: this image is a Dockerfile frontend, used as `# syntax=IMAGE` on a Dockerfile');
    return 2;
  }
  const options = frontendOptions(io.env);
  const settings = readSettings(options);
  for (const arg of settings.unknownArguments) io.log(`ignoring unknown argument on the syntax line: ${arg}`);

  const bridge = connectBridge(await spliceStdioToSocket(io.stdin, io.stdout));
  try {
    const [caps, inputs] = await Promise.all([bridge.ping(), bridge.inputs()]);
    const plan = await planBuild(bridge, options, inputs, settings, io).catch((error: unknown): BuildPlan => {
      io.log(`Dockerfile passed on unchanged: ${messageOf(error)}`);
      return { warnings: [] };
    });
    // BuildKit 0.8 (Docker 20.10) has no Warn call. Sent one by one, so they are listed in order,
    // while the upstream builds.
    const warned = caps.has(CAP_WARNINGS) ? sendWarnings(bridge, plan.warnings, io) : undefined;

    let outcome: ReturnRequest;
    try {
      const response = await bridge.solve(upstreamRequest(options, inputs, settings.upstream, plan.replacement));
      outcome = { result: response.result };
    } catch (error) {
      io.log(`the upstream frontend (${settings.upstream}) failed: ${messageOf(error)}`);
      outcome = { error: statusOf(error) };
    }
    await warned;
    await bridge.return(outcome);
    return 0;
  } catch (error) {
    io.log(`fatal: ${messageOf(error)}`);
    return 1;
  } finally {
    bridge.close();
  }
}

interface BuildPlan {
  /** The rewritten Dockerfile for the upstream; none: the upstream reads the user's file. */
  replacement?: ReplacementDockerfile;
  warnings: WarnRequest[];
}

async function planBuild(
  bridge: LLBBridge,
  options: Map<string, string>,
  inputs: Map<string, Buffer>,
  settings: Settings,
  io: FrontendIO,
): Promise<BuildPlan> {
  if (!settings.enabled) {
    io.log('DFREWRITE=off: Dockerfile passed on unchanged');
    return { warnings: [] };
  }
  // Subrequests (outline, targets, lint, ...) describe the user's own file.
  if (options.has('requestid')) return { warnings: [] };

  const source = await readDockerfile(bridge, options, inputs, io.env.BUILDKIT_SESSION_ID ?? '');
  if ('unavailable' in source) {
    io.log(`Dockerfile passed on unchanged: ${source.unavailable}`);
    return { warnings: [] };
  }
  const rewritten = await rewriteDockerfile(source.data, settings);
  // Shown with the result, so that a mistyped argument does not go unnoticed.
  const ignored = settings.unknownArguments.length > 0 ? [`ignored ${settings.unknownArguments.join(' ')}`] : [];
  const summary = [rewritten.summary, ...ignored].join('; ');
  io.log(`${source.filename}: ${summary}`);
  const files = [{ path: source.filename, data: rewritten.data }];
  if (source.dockerignore) files.push({ path: `${source.filename}.dockerignore`, data: source.dockerignore });
  const definition = filesFromScratch(files, vertexName(summary));
  return {
    replacement: { filename: source.filename, definition: definition.bytes },
    warnings: findingWarnings(rewritten.findings, source, definition.digest),
  };
}

async function sendWarnings(bridge: LLBBridge, warnings: WarnRequest[], io: FrontendIO): Promise<void> {
  for (const warning of warnings) {
    await bridge.warn(warning).catch((error: unknown) => io.log(`could not send a warning: ${messageOf(error)}`));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
