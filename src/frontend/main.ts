/** Entry point of the Node frontend image: `node frontend.js`, started by BuildKit. */
import { runFrontend } from './frontend.js';
import { nodeIO, streamChannel } from './node-io.js';
import { dropRoot } from './privileges.js';
import pkg from '../../package.json' with { type: 'json' };

// `docker run IMAGE --version`. The image build runs it too, to fill Node's compile cache
// (NODE_COMPILE_CACHE in Dockerfile.frontend) with this file's compiled code.
if (process.argv[2] === '--version') {
  process.stdout.write(`dfrewrite frontend ${pkg.version}\n`);
  process.exit(0);
}

// stdout carries gRPC: anything else written there would corrupt the stream.
console.log = console.info = console.debug = console.error;

const exitCode = await runFrontend(
  nodeIO({
    env: process.env,
    channel: streamChannel(process.stdin, process.stdout),
    log: (message) => process.stderr.write(`dfrewrite: ${message}\n`),
    dropPrivileges: () => dropRoot(process.env),
  }),
);
// stdin stays open until BuildKit closes it; the build is over once Return has been sent.
process.exit(exitCode);
