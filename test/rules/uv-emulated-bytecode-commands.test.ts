import { lines, ruleTable } from '../helpers/rule-table.js';
import { F, G, G_INLINE } from '../helpers/uv-guard.js';

// uv-emulated-bytecode: what the uv command line holds (global options, flags, settings in the
// script, subcommands that take no flag). Stages, platforms and file shapes: uv-emulated-bytecode.test.ts.
ruleTable('uv-emulated-bytecode', [
  {
    name: "uv's global options that take a value are skipped to find the subcommand",
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv --allow-insecure-host pypi.internal pip install x',
      'RUN uv --python-preference only-system --trusted-host h --preview-features pylock sync',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv --allow-insecure-host pypi.internal pip install ${F} x`,
      `RUN ${G} uv --python-preference only-system --trusted-host h --preview-features pylock sync ${F}`,
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 4, fixed: true },
    ],
  },
  {
    name: 'an explicit --compile-bytecode (or --compile, all uv < 0.1.34 knows) becomes the variable, defaulting to itself as written',
    input: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN uv sync --compile-bytecode && uv pip install --compile x',
    ),
    output: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync \${dfrewrite_uv_flags:---compile-bytecode} && uv pip install \${dfrewrite_uv_flags:---compile} x`,
    ),
    findings: [{ line: 4, fixed: true, message: '--compile-bytecode' }],
  },
  {
    name: 'UV_COMPILE_BYTECODE=1 on the command: its value reads a variable the guard sets to 0 where emulated',
    input: lines(
      'FROM python',
      'RUN UV_COMPILE_BYTECODE=1 uv sync && UV_LINK_MODE=copy UV_COMPILE_BYTECODE="True" uv pip install x',
    ),
    output: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} uv sync ${F} && UV_LINK_MODE=copy UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-"True"} uv pip install ${F} x`,
    ),
    findings: [{ line: 2, fixed: true, message: 'UV_COMPILE_BYTECODE=1 in the command' }],
  },
  {
    name: 'UV_COMPILE_BYTECODE=1 exported or assigned in the script, with env: each value reads the variable',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN export UV_COMPILE_BYTECODE=1 && uv sync',
      'RUN UV_COMPILE_BYTECODE=on; env UV_COMPILE_BYTECODE=t uv tool install ruff',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G_INLINE} export UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} && uv sync ${F}`,
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-on}; env UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-t} uv tool install ${F} ruff`,
    ),
    findings: [
      { line: 3, fixed: true, message: 'UV_COMPILE_BYTECODE=1 in the command' },
      { line: 4, fixed: true },
    ],
  },
  {
    name: 'an inline setting that is not a plain value is reported, not rewritten',
    input: lines('FROM python', 'RUN UV_COMPILE_BYTECODE=1"" uv sync'),
    findings: [{ line: 2, fixed: false, message: 'in the command is not a plain value; set it with ENV instead' }],
  },
  {
    // Its value is known only when the step runs: it may turn compiling on, and after the guard's
    // export, beside --no-compile-bytecode, stop uv ("cannot be used together").
    name: 'a setting whose value is a variable is reported, not taken for off nor rewritten',
    input: lines(
      'FROM python',
      'ARG ON=1',
      'RUN UV_COMPILE_BYTECODE=$ON uv sync',
      'RUN UV_COMPILE_BYTECODE="${ON}" uv pip install x',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN export UV_COMPILE_BYTECODE=$ON && uv sync',
    ),
    findings: [
      { line: 3, fixed: false, message: 'UV_COMPILE_BYTECODE=$ON in the command is not a plain value' },
      { line: 4, fixed: false, message: 'is not a plain value' },
      { line: 6, fixed: false, message: 'UV_COMPILE_BYTECODE=$ON in the command is not a plain value' },
    ],
  },
  {
    name: 'uv python install|upgrade get no flag (uv < 0.9.25 rejects it and compiles nothing): the env var alone',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv python install 3.12 && uv --no-cache python upgrade && uv sync',
      'RUN UV_COMPILE_BYTECODE=1 uv python install 3.13',
      'RUN uv python install --compile-bytecode 3.14',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv python install 3.12 && uv --no-cache python upgrade && uv sync ${F}`,
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} uv python install 3.13`,
      // written by the user, so their uv has the pair (0.9.25 or later)
      `RUN ${G} uv python install \${dfrewrite_uv_flags:---compile-bytecode} 3.14`,
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
]);
