/** Entry point of the frontend image: `node frontend.js`, started by BuildKit. */
import { runFrontend } from './frontend.js';
import { dropRoot } from './privileges.js';

// stdout carries gRPC: anything else written there would corrupt the stream.
console.log = console.info = console.debug = console.error;

const exitCode = await runFrontend({
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  log: (message) => process.stderr.write(`dfrewrite: ${message}\n`),
  dropPrivileges: () => dropRoot(process.env),
});
// stdin stays open until BuildKit closes it; the build is over once Return has been sent.
process.exit(exitCode);
