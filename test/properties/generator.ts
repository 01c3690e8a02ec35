/**
 * fast-check arbitraries of Dockerfiles shaped like real ones: every instruction, flags with
 * quoted and unquoted values, `--mount` of every type with options in any order and any key case,
 * line continuations with comments and blank lines between them, heredocs, exec forms, uv and apt
 * cache patterns, CRLF and mixed line endings, a BOM, `# escape=` and `# syntax=` directives, very
 * long lines and non-ASCII text.
 *
 * Instructions are built as physical lines in which CONT stands for the continuation (escape)
 * character; `dockerfile()` picks the escape character and the line endings, then renders.
 */
import fc from 'fast-check';

/** Placeholder for the escape character at the end of a continued line. */
const CONT = '\u0001';

type Lines = string[];
type Arb<T> = fc.Arbitrary<T>;

export interface DockerfileOptions {
  /** Line endings of the whole file; 'mixed' picks one per line break. Default: any. */
  eol?: 'lf' | 'crlf' | 'mixed';
  /** The escape character; '`' adds a `# escape=\`` directive. Default: any. */
  escape?: '\\' | '`';
  bom?: boolean;
  /** Allow a small share of files the engine should refuse (typos, no FROM, …). Default true. */
  invalid?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Small vocabularies

const pick = <T>(...values: T[]): Arb<T> => fc.constantFrom(...values);

const nonAscii = pick(
  'héllo wörld',
  'ünïcödé ✓',
  '日本語のテキスト',
  'emoji 😀🐳',
  'Ωμέγα',
  'naïve café',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ß→∞',
);

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
const varName = pick(
  'HOME',
  'APP_HOME',
  'VERSION',
  'PYTHON_VERSION',
  'TARGETPLATFORM',
  'TARGETARCH',
  'BUILDARCH',
  'DEBIAN_FRONTEND',
  'UV_COMPILE_BYTECODE',
  'UV_LINK_MODE',
  'PATH',
);

const variableRef = fc
  .tuple(varName, pick('$', '${}', '${:-}'))
  .map(([name, form]) => (form === '$' ? `$${name}` : form === '${}' ? `\${${name}}` : `\${${name}:-x}`));

const images = pick(
  'alpine',
  'alpine:3.20',
  'debian:bookworm-slim',
  'ubuntu:24.04',
  'python:3.12-slim',
  'ghcr.io/astral-sh/uv:python3.12-bookworm-slim',
  'rust:1.80',
  'golang:1.23',
  'scratch',
  'mcr.microsoft.com/windows/servercore:ltsc2022',
  'node:20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'registry.example.com:5000/team/app:${VERSION}',
  'busybox',
);

const platforms = pick(
  '$BUILDPLATFORM',
  '${BUILDPLATFORM}',
  '$TARGETPLATFORM',
  '${TARGETPLATFORM}',
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/386',
  '"linux/arm64"',
  "'$BUILDPLATFORM'",
  'linux/riscv64',
  'windows/amd64',
);

// ---------------------------------------------------------------------------------------------
// Shell commands

const uvCommand: Arb<string> = fc.oneof(
  {
    weight: 400,
    arbitrary: pick(
      'uv sync',
      'uv sync --frozen',
      'uv sync --locked --no-dev',
      'uv sync --frozen --no-install-project',
      'uv pip install -r requirements.txt',
      'uv pip install --system .',
      'uv pip install "requests>=2"',
      'uv pip sync requirements.txt',
      'uvx ruff check .',
      'uvx --from black black --version',
      'python -m uv sync',
      'python3.12 -m uv pip install flask',
      'uv --directory /app sync',
      'uv --project /srv sync --frozen',
      'uv tool install ruff',
      'uv run python -c "print(1)"',
      'uv add requests',
      'uv venv /opt/venv',
      'uv lock',
      'uv python install 3.12',
      '/usr/local/bin/uv sync',
      'env UV_LINK_MODE=copy uv sync',
      'sudo uv pip install x',
      'uv sync --compile-bytecode',
      'uv pip install --compile-bytecode -r r.txt',
      'uv sync --compile',
      'uv sync --no-compile-bytecode',
      'UV_COMPILE_BYTECODE=1 uv sync',
      'UV_COMPILE_BYTECODE=0 uv sync',
      'UV_COMPILE_BYTECODE=true uv pip install x',
      'FOO=1 uv sync',
      'if [ -f uv.lock ]; then uv sync --frozen; fi',
      'uv sync --frozen && uv pip list',
      "uv pip install 'pkg @ git+https://example.com/x.git'",
      'uv pip install --no-deps $PKG',
    ),
  },
  // words split by a continuation (no indentation: the word goes on)
  {
    weight: 30,
    arbitrary: pick(`uv ${CONT}\n    sync`, `uv sy${CONT}\nnc --frozen`, `uv pip ${CONT}\n  # comment\n  install x`),
  },
  { weight: 1, arbitrary: pick(`uv sync --compile-${CONT}\nbytecode`) },
);

const otherCommand: Arb<string> = fc.oneof(
  pick(
    'apt-get update',
    'apt-get install -y --no-install-recommends curl ca-certificates',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y git',
    'rm -rf /var/lib/apt/lists/*',
    'rm -f /etc/apt/apt.conf.d/docker-clean',
    'pip install --no-cache-dir -r requirements.txt',
    'pip install .',
    'cargo build --release',
    'cargo fetch',
    'go build -o /out/app ./...',
    'go mod download',
    'npm ci',
    'yarn install --frozen-lockfile',
    'make -j"$(nproc)"',
    'set -eux',
    'true',
    'mkdir -p /app/data',
    'chmod +x /entrypoint.sh',
    'ln -s /usr/bin/python3 /usr/bin/python',
    'echo "${VERSION:-dev}" > /version',
    "echo 'single quoted; && not a separator'",
    'test -n "$HOME"',
    'adduser -D -u 1000 app',
    'curl -fsSL https://example.com/install.sh | sh',
    'export PATH="/root/.local/bin:$PATH"',
    'cat /etc/os-release',
    'python -m pip install --upgrade pip',
    'for f in a b c; do echo "$f"; done',
    "sed -i 's/#x/x/' /etc/conf",
    'echo "a \\"quoted\\" word"',
    'GOARCH=amd64 go build -o /out/app .',
    'CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build ./...',
    'export GOARCH=amd64',
    'bundle exec bootsnap precompile --gemfile app/ lib/',
    'bundle install --jobs 4',
    'rm -rf /var/cache/apt/archives/*.deb',
    'apt install -y curl',
    'apt-get clean',
    'apt-get -o Dpkg::Options::=--force-confold install -y tzdata',
    'echo "$TARGETARCH $BUILDPLATFORM"',
    'dpkg --print-architecture',
    'echo "deb [arch=$(dpkg --print-architecture)] https://example.com stable main"',
    'ARCH=`uname -m` && echo "$ARCH" && arch',
    // a doubled escape character ends the line without continuing it in BuildKit
    `echo ends-with-escaped-escape ${CONT}${CONT}`,
  ),
  nonAscii.map((text) => `echo "${text}"`),
  variableRef.map((ref) => `echo ${ref}`),
);

const shellCommand: Arb<string> = fc.oneof({ weight: 2, arbitrary: uvCommand }, { weight: 3, arbitrary: otherCommand });

/** A command list spread over physical lines with continuations, comments and blank lines. */
function shellBody(indentContinuation = true): Arb<Lines> {
  return fc
    .record({
      commands: fc.array(shellCommand, { minLength: 1, maxLength: 5 }),
      joins: fc.array(
        fc.record({
          op: pick(' && ', '; ', ' || ', ' | ', ' && \t'),
          continued: fc.boolean(),
          between: fc.array(
            pick(
              '# a comment',
              '  # indented comment',
              '',
              '   ',
              '#',
              '\t# tab ✓',
              `# comment ending in escape ${CONT}`,
            ),
            { maxLength: 2 },
          ),
          indent: indentContinuation ? pick('    ', '  ', '\t', '') : fc.constant(''),
          trailing: pick('', '', ' ', '  \t'),
          opFirst: fc.boolean(),
        }),
        { minLength: 4, maxLength: 4 },
      ),
    })
    .map(({ commands, joins }) => {
      const lines: Lines = [''];
      commands.forEach((command, i) => {
        if (i > 0) {
          const join = joins[(i - 1) % joins.length]!;
          if (join.continued) {
            const op = join.op.trim();
            lines[lines.length - 1]! += join.opFirst ? ` ${CONT}${join.trailing}` : ` ${op} ${CONT}${join.trailing}`;
            lines.push(...join.between);
            lines.push(join.indent + (join.opFirst ? `${op} ` : ''));
          } else {
            lines[lines.length - 1]! += join.op;
          }
        }
        lines[lines.length - 1]! += command;
      });
      return lines;
    });
}

// ---------------------------------------------------------------------------------------------
// --mount

const APT_TARGETS = [
  '/var/cache/apt',
  '/var/cache/apt/',
  '/var/lib/apt',
  '/var/lib/apt/',
  '/var/lib/apt/lists',
  '/var/lib/apt/lists/',
  '/var/cache/apt/archives',
  '/var/cache/apt/archives/',
  '/var/cache//apt',
  '/var/cache/./apt',
  '/var/lib/apt/../apt/lists',
];
const OTHER_CACHE_TARGETS = [
  '/root/.cache/uv',
  '/root/.cache/pip',
  '/root/.cache',
  '/usr/local/cargo/registry',
  '/usr/local/cargo/git',
  '/root/.cargo/registry',
  '/go/pkg/mod',
  '/root/.cache/go-build',
  '/app/target',
  '$HOME/.cache/uv',
  '${HOME}/.npm',
  '/tmp/cache dir',
  '/var/cache/dnf',
  '/ünï/cache',
];

interface MountOption {
  key: string;
  value: string | null;
}

const sharingValue = pick('locked', 'shared', 'private', 'Locked', 'SHARED');
const cacheId = pick(
  'apt',
  'apt-cache',
  'cache',
  '${TARGETPLATFORM}-apt',
  'uv',
  '/var/cache/apt',
  '/var/lib/apt',
  '/root/.cache/uv',
  '',
  'pip',
);

function optional(key: string, value: Arb<string | null>, freq = 3): Arb<MountOption[]> {
  return fc
    .option(
      value.map((v) => [{ key, value: v }]),
      { freq, nil: [] as MountOption[] },
    )
    .map((x) => x);
}

const targetKey = pick('target', 'target', 'target', 'dst', 'destination');

const mountOptions: Arb<MountOption[]> = fc.oneof(
  // cache, the richest case
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.option(pick('cache'), { freq: 8, nil: undefined }),
        targetKey,
        fc.oneof(
          { weight: 3, arbitrary: pick(...APT_TARGETS) },
          { weight: 2, arbitrary: pick(...OTHER_CACHE_TARGETS) },
        ),
        optional('id', cacheId, 2),
        optional('sharing', sharingValue, 2),
        optional('uid', pick('1000', '0')),
        optional('gid', pick('1000', '0')),
        optional('mode', pick('0755', '0777')),
        optional('from', pick('builder', 'base')),
        optional('source', pick('/cache', 'cache')),
        optional('ro', pick(null, 'true', 'false'), 1),
      )
      .map(([type, tkey, target, ...rest]) => [
        { key: 'type', value: type ?? 'cache' },
        { key: tkey, value: target },
        ...rest.flat(),
      ]),
  },
  // a cache mount without target (BuildKit rejects it, the engine must not crash)
  { weight: 1, arbitrary: optional('id', cacheId, 1).map((id) => [{ key: 'type', value: 'cache' }, ...id]) },
  // bind (also the default when type is left out)
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.boolean(),
        targetKey,
        pick('/src', '/app', '/var/cache/apt', '/tmp/x'),
        optional('source', pick('.', 'requirements.txt', 'uv.lock')),
        optional('src', pick('.', 'pyproject.toml')),
        optional('from', pick('builder', 'context', 'ghcr.io/x/y:1')),
        optional('rw', pick(null, 'true')),
        optional('readwrite', pick(null, 'false')),
        optional('readonly', pick(null, 'true'), 1),
      )
      .map(([withType, tkey, target, ...rest]) => [
        ...(withType ? [{ key: 'type', value: 'bind' }] : []),
        { key: tkey, value: target },
        ...rest.flat(),
      ]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(targetKey, pick('/tmp', '/run', '/var/cache/apt'), optional('size', pick('64m', '1g')))
      .map(([tkey, target, size]) => [{ key: 'type', value: 'tmpfs' }, { key: tkey, value: target }, ...size]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        optional('id', pick('npmrc', 'aws', 'token'), 5),
        optional('target', pick('/root/.npmrc', '/run/secrets/aws'), 2),
        optional('dst', pick('/root/.aws/credentials'), 1),
        optional('required', pick(null, 'true', 'false'), 1),
        optional('env', pick('TOKEN', 'API_KEY'), 1),
        optional('mode', pick('0400'), 1),
      )
      .map((rest) => [{ key: 'type', value: 'secret' }, ...rest.flat()]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        optional('id', pick('default', 'github'), 2),
        optional('target', pick('/root/.ssh/agent'), 1),
        optional('required', pick(null, 'true'), 1),
      )
      .map((rest) => [{ key: 'type', value: 'ssh' }, ...rest.flat()]),
  },
);

/** A `--mount=…` flag as one or more physical-line fragments (split at commas when continued). */
const mountFlag: Arb<string[]> = fc
  .record({
    options: mountOptions.chain((options) =>
      fc.shuffledSubarray(options, { minLength: options.length, maxLength: options.length }),
    ),
    keyCases: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
    flagName: pick('mount', 'mount', 'mount', 'Mount'),
    quoting: pick('none', 'none', 'none', 'double', 'single', 'partial', 'csv'),
    split: fc.option(fc.record({ at: fc.nat(), indent: pick('', '', '  ', '\t') }), { freq: 6, nil: undefined }),
  })
  .map(({ options, keyCases, flagName, quoting, split }) => {
    const fields = options.map((option, i) => {
      const c = keyCases[i % keyCases.length]!;
      const key =
        c < 6 ? option.key : c < 8 ? option.key.toUpperCase() : option.key[0]!.toUpperCase() + option.key.slice(1);
      let value = option.value;
      if (value !== null && quoting === 'partial' && /target|dst|destination/i.test(key)) value = `"${value}"`;
      const field = value === null ? key : `${key}=${value}`;
      return quoting === 'csv' && /target|dst|destination|id/i.test(key) ? `"${field.replace(/"/g, '""')}"` : field;
    });
    // A value with a space needs quotes around the whole flag value.
    const needsQuotes = fields.some((f) => /\s/.test(f)) && (quoting === 'none' || quoting === 'partial');
    const q = quoting === 'double' || needsQuotes ? '"' : quoting === 'single' || quoting === 'csv' ? "'" : '';
    const joined = fields.join(',');
    const text = `--${flagName}=${q}${joined}${q}`;
    if (!split || fields.length < 2) return [text];
    // A continuation inside the flag: without indentation the word continues; with it, BuildKit
    // splits the word there (both are generated on purpose), unless inside quotes.
    const cut = 1 + (split.at % (fields.length - 1));
    return [
      `--${flagName}=${q}${fields.slice(0, cut).join(',')},${CONT}`,
      `${split.indent}${fields.slice(cut).join(',')}${q}`,
    ];
  });

const otherRunFlag: Arb<string[]> = pick(
  '--network=none',
  '--network=host',
  '--network=default',
  '--security=insecure',
  '--security=sandbox',
  '--network="none"',
).map((f) => [f]);

const runFlags: Arb<string[][]> = fc.array(
  fc.oneof({ weight: 4, arbitrary: mountFlag }, { weight: 1, arbitrary: otherRunFlag }),
  {
    maxLength: 4,
  },
);

/** Appends flags to `lines`, each on the same line or after a continuation. */
function withFlags(head: string, flags: string[][], continued: boolean[], indent: string): Lines {
  const lines: Lines = [head];
  flags.forEach((fragments, i) => {
    if (continued[i % continued.length]) {
      lines[lines.length - 1]! += i === 1 && indent !== '' ? CONT : ` ${CONT}`;
      lines.push(indent + fragments[0]!);
    } else {
      lines[lines.length - 1]! += ` ${fragments[0]!}`;
    }
    lines.push(...fragments.slice(1));
  });
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Heredocs

const delimiterName = pick('EOF', 'EOT', 'SCRIPT', 'eof', 'END_1', 'my.delim', 'PY');

interface HeredocSpec {
  open: string;
  body: Lines;
}

function heredoc(withShebang: boolean, usedNames: string[] = []): Arb<HeredocSpec> {
  return fc
    .record({
      name: delimiterName.filter((n) => !usedNames.includes(n)),
      dash: fc.boolean(),
      quote: pick('', '', '"', "'"),
      shebang: withShebang
        ? fc.option(
            pick(
              '#!/bin/sh',
              '#!/bin/bash',
              '#!/usr/bin/env bash',
              '#!/usr/bin/env python3',
              '#!/usr/bin/python3',
              '#!/bin/sh -eux',
            ),
            { freq: 2, nil: undefined },
          )
        : fc.constant(undefined),
      lines: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: shellCommand },
          { weight: 1, arbitrary: pick('', '# comment in body', 'set -e', 'print("hi ✓")') },
        ),
        { maxLength: 5 },
      ),
      tabs: fc.boolean(),
    })
    .map(({ name, dash, quote, shebang, lines, tabs }) => {
      const indent = dash && tabs ? '\t' : '';
      const body = [
        ...(shebang ? [(tabs ? indent : '') + shebang] : []),
        ...lines.map((l) => (l === '' ? l : indent + l)),
      ];
      return { open: `<<${dash ? '-' : ''}${quote}${name}${quote}`, body: [...body, `${indent}${name}`] };
    });
}

// ---------------------------------------------------------------------------------------------
// Instructions

const kw = (keyword: string): Arb<string> => fc.constantFrom(keyword, keyword, keyword, keyword, keyword.toLowerCase());

const runInstruction: Arb<Lines> = fc
  .record({
    keyword: kw('RUN'),
    flags: runFlags,
    continued: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    indent: pick('    ', '  ', '\t', ''),
    lead: pick('', '', '', '  '),
    form: fc.oneof(
      { weight: 30, arbitrary: shellBody().map((lines) => ({ kind: 'shell' as const, lines })) },
      {
        weight: 10,
        arbitrary: pick(
          '["uv", "sync", "--frozen"]',
          '["uv","pip","install","-r","requirements.txt"]',
          '["/bin/sh", "-c", "uv sync"]',
          '["apt-get", "update"]',
          '[ "echo", "ünï ✓" ]',
          '["sh", "-c", "echo \\"$HOME\\""]',
          '["uvx", "ruff"]',
        ).map((json) => ({ kind: 'exec' as const, lines: [json] })),
      },
      {
        weight: 15,
        arbitrary: fc
          .tuple(heredoc(true), pick('', '', ' bash', ' python3', ' sh -eux', ' cat > /tmp/x'))
          .map(([doc, after]) => ({ kind: 'heredoc' as const, lines: [doc.open + after, ...doc.body] })),
      },
      {
        weight: 5,
        arbitrary: heredoc(false).chain((first) =>
          heredoc(false, [first.open.replace(/^<<-?["']?|["']$/g, '')]).map((second) => ({
            kind: 'heredoc' as const,
            lines: [`cat ${first.open} > /a && cat ${second.open} > /b`, ...first.body, ...second.body],
          })),
        ),
      },
      {
        weight: 5,
        arbitrary: heredoc(true).chain((first) =>
          heredoc(true, [first.open.replace(/^<<-?["']?|["']$/g, '')]).map((second) => ({
            kind: 'heredoc' as const,
            lines: [`${first.open} ${second.open}`, ...first.body, ...second.body],
          })),
        ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.array(pick('curl', 'git', 'build-essential', 'libssl-dev', 'python3-dev', 'ünïcode-pkg'), {
              minLength: 200,
              maxLength: 400,
            }),
            fc.boolean(),
          )
          .map(([pkgs, uv]) => ({
            kind: 'shell' as const,
            lines: [`${uv ? 'uv pip install' : 'apt-get install -y'} ${pkgs.join(' ')}`],
          })),
      },
    ),
    bodyOnNewLine: fc.boolean(),
  })
  .map(({ keyword, flags, continued, indent, lead, form, bodyOnNewLine }) => {
    const lines = withFlags(lead + keyword, flags, continued, indent);
    const [first, ...rest] = form.lines;
    if (bodyOnNewLine && flags.length > 0) {
      lines[lines.length - 1]! += ` ${CONT}`;
      lines.push(indent + first!);
    } else {
      lines[lines.length - 1]! += ` ${first!}`;
    }
    lines.push(...rest);
    return lines;
  });

const fromInstruction = (stageNames: string[], index: number): Arb<Lines> =>
  fc
    .record({
      keyword: kw('FROM'),
      platform: fc.option(platforms, { freq: 2, nil: undefined }),
      base:
        stageNames.length > 0 && index > 0
          ? fc.oneof(
              images,
              pick(...stageNames.slice(0, index)).chain((n) => pick(n, n.toUpperCase())),
            )
          : images,
      as: fc.option(pick('AS', 'as', 'As'), { freq: 1, nil: undefined }),
    })
    .map(({ keyword, platform, base, as }) => {
      const name = stageNames[index];
      const platformFlag = platform ? ` --platform=${platform}` : '';
      return [`${keyword}${platformFlag} ${base}${as && name ? ` ${as} ${name}` : ''}`];
    });

const argInstruction: Arb<Lines> = fc.oneof(
  pick(
    'ARG VERSION',
    'ARG VERSION=1.2.3',
    'ARG PYTHON_VERSION="3.12"',
    "ARG GREETING='hello world'",
    'ARG BUILDARCH',
    'ARG TARGETARCH',
    'ARG TARGETPLATFORM',
    'ARG UV_COMPILE_BYTECODE',
    'ARG UV_COMPILE_BYTECODE=1',
    'ARG UV_COMPILE_BYTECODE=0',
    'ARG DEBIAN_FRONTEND=noninteractive',
    'arg lower=case',
    'ARG A=1 B=2',
    'ARG TARGETARCH=amd64',
    'ARG EMPTY=',
    'ARG TARGETOS=linux',
    'ARG GOARCH=arm64',
    'ARG TARGETPLATFORM=$BUILDPLATFORM',
    'ARG BUILDPLATFORM=',
  ).map((l) => [l]),
  nonAscii.map((t) => [`ARG LABEL_TEXT="${t}"`]),
);

const envInstruction: Arb<Lines> = fc.oneof(
  {
    weight: 3,
    arbitrary: pick(
      'ENV UV_COMPILE_BYTECODE=1',
      'ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy',
      'ENV UV_COMPILE_BYTECODE=true',
      'ENV UV_COMPILE_BYTECODE="1"',
      'ENV UV_COMPILE_BYTECODE 1',
      'ENV UV_COMPILE_BYTECODE=0',
      'ENV UV_COMPILE_BYTECODE=yes',
      'env UV_COMPILE_BYTECODE=On',
    ).map((l) => [l]),
  },
  {
    weight: 3,
    arbitrary: pick(
      'ENV PATH="/app/.venv/bin:$PATH"',
      'ENV DEBIAN_FRONTEND=noninteractive',
      'ENV LANG C.UTF-8',
      'ENV A=1 B="two words" C=\'three\'',
      'ENV HOME=/root',
      'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
      'ENV GOOS=linux GOARCH=amd64',
      'ENV CARGO_HOME=/cargo',
      'ENV TARGETARCH=arm64',
    ).map((l) => [l]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(pick('    ', '\t', ''), fc.boolean())
      .map(([indent, compile]) => [
        `ENV UV_LINK_MODE=copy ${CONT}`,
        `${indent}${compile ? 'UV_COMPILE_BYTECODE=1' : 'UV_PYTHON_DOWNLOADS=0'} ${CONT}`,
        `${indent}UV_PROJECT_ENVIRONMENT=/app/.venv`,
      ]),
  },
);

const copyInstruction: Arb<Lines> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        keyword: fc.oneof(kw('COPY'), kw('ADD')),
        flags: fc.subarray([
          '--from=builder',
          '--chown=1000:1000',
          '--chown="app:app"',
          '--chmod=0755',
          '--link',
          '--link=true',
          '--parents',
          '--exclude=*.md',
          '--from=ghcr.io/astral-sh/uv:0.5 /uv /uvx /bin/',
        ]),
        args: pick(
          '. /app',
          'requirements.txt pyproject.toml uv.lock /app/',
          '["with space.txt", "/dst/"]',
          '--link=false x /y',
          'src/ /app/src/',
          'https://example.com/file.tar.gz /tmp/',
          '${APP_HOME}/x /y',
          'ünï.txt /döst/',
        ),
      })
      .map(({ keyword, flags, args }) => {
        // `--from=image /uv /uvx /bin/` carries its own arguments
        const own = flags.find((f) => f.includes(' '));
        const plain = flags.filter((f) => !f.includes(' '));
        return [`${keyword}${plain.map((f) => ` ${f}`).join('')}${own ? ` ${own}` : ` ${args}`}`];
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(kw('COPY'), heredoc(true), pick('', '', ' --chmod=755', ' --link'), pick(' /etc/app.conf', ' /app/run.sh'))
      .map(([keyword, doc, flag, dest]) => [`${keyword}${flag} ${doc.open}${dest}`, ...doc.body]),
  },
  {
    weight: 1,
    arbitrary: heredoc(false).chain((first) =>
      heredoc(false, [first.open.replace(/^<<-?["']?|["']$/g, '')]).map((second) => [
        `COPY ${first.open} ${second.open} /dst/`,
        ...first.body,
        ...second.body,
      ]),
    ),
  },
);

const onbuildInstruction: Arb<Lines> = fc.oneof(
  pick(
    'ONBUILD COPY . /app',
    'ONBUILD RUN uv sync --frozen',
    'ONBUILD RUN --mount=type=cache,target=/var/cache/apt apt-get update',
    'onbuild run pip install .',
    'ONBUILD RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked apt-get update',
    'ONBUILD ADD . /src',
  ).map((l) => [l]),
  runInstruction.map((lines) => [`ONBUILD ${lines[0]!.trimStart()}`, ...lines.slice(1)]),
);

const miscInstruction: Arb<Lines> = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 2000, max: 6000 }).map((n) => [`LABEL long="${'x'.repeat(n)}"`]) },
  {
    weight: 60,
    arbitrary: fc.oneof(
      pick(
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        'SHELL ["/bin/sh", "-c"]',
        'SHELL ["powershell", "-Command"]',
        'SHELL ["cmd", "/S", "/C"]',
        'SHELL ["/usr/bin/env", "bash", "-c"]',
        'SHELL ["busybox", "sh", "-c"]',
      ).map((l) => [l]),
      pick('USER app', 'USER 1000:1000', 'USER ${APP_USER:-app}', 'user root').map((l) => [l]),
      pick('WORKDIR /app', 'WORKDIR "/path with space"', 'WORKDIR $HOME/x', 'WORKDIR /ünï').map((l) => [l]),
      pick(
        'LABEL a=b',
        'LABEL "com.example.vendor"="ACME Inc" version="1.0"',
        'LABEL org.opencontainers.image.source=https://example.com',
      ).map((l) => [l]),
      nonAscii.map((t) => [`LABEL description="${t}"`]),
      fc
        .tuple(pick('  ', '\t', ''))
        .map(([indent]) => [`LABEL a=1 ${CONT}`, `${indent}b=2 ${CONT}`, '# comment between', `${indent}c="three ✓"`]),
      pick('EXPOSE 80', 'EXPOSE 80/tcp 443 53/udp', 'EXPOSE ${PORT}').map((l) => [l]),
      pick(
        'CMD ["python", "-m", "app"]',
        'CMD python -m app',
        'CMD ["uv", "run", "app"]',
        'ENTRYPOINT ["/entrypoint.sh"]',
        'ENTRYPOINT exec uv run serve',
        'CMD []',
        'cmd ["sh"]',
      ).map((l) => [l]),
      pick(
        'HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1',
        'HEALTHCHECK NONE',
        'HEALTHCHECK --start-period=5s --retries=3 CMD ["curl", "-f", "http://localhost/"]',
      ).map((l) => [l]),
      pick(
        'STOPSIGNAL SIGTERM',
        'VOLUME ["/data"]',
        'VOLUME /data /logs',
        'MAINTAINER Jane Doe <jane@example.com>',
      ).map((l) => [l]),
      fc.tuple(pick('', '  ', '\t'), fc.oneof(word, nonAscii)).map(([indent, text]) => [`${indent}# ${text}`]),
      // dfrewrite's own in-file directives (valid and not)
      pick(
        '# dfrewrite: ignore',
        '# dfrewrite: ignore=cache-mount-sharing',
        '#dfrewrite:ignore=uv-emulated-bytecode,platform-args',
        '# dfrewrite: disable=uv-emulated-bytecode',
        '# dfrewrite: enable=apt-keep-downloads',
        '# dfrewrite: off',
        '# dfrewrite: bogus=1',
        '# DFREWRITE: IGNORE',
      ).chain((line) => fc.integer({ min: 0, max: 3 }).map((n) => (n === 0 ? [line] : ['# plain comment']))),
      pick('', '   ', '\t').map((l) => [l]),
    ),
  },
);

const stageInstruction: Arb<Lines> = fc.oneof(
  { weight: 8, arbitrary: runInstruction },
  { weight: 3, arbitrary: envInstruction },
  { weight: 2, arbitrary: argInstruction },
  { weight: 3, arbitrary: copyInstruction },
  { weight: 1, arbitrary: onbuildInstruction },
  { weight: 5, arbitrary: miscInstruction },
);

const stage = (names: string[], index: number): Arb<Lines> =>
  fc
    .tuple(fromInstruction(names, index), fc.array(stageInstruction, { maxLength: 10 }))
    .map(([from, rest]) => [...from, ...rest.flat()]);

/** Rare breakage the engine must refuse with a DockerfileError rather than crash on. */
const breakage = pick('none', 'typo', 'no-from', 'before-from', 'unterminated');

function applyBreakage(lines: Lines, kind: string): Lines {
  switch (kind) {
    case 'typo':
      return [...lines, 'FORM alpine'];
    case 'no-from':
      return lines.filter((l) => !/^\s*from\b/i.test(l));
    case 'before-from':
      return ['WORKDIR /x', ...lines];
    case 'unterminated':
      return [...lines, 'RUN <<NEVERCLOSED', 'echo body'];
    default:
      return lines;
  }
}

// ---------------------------------------------------------------------------------------------
// The file

/** A generated file and whether it was broken on purpose ('none': BuildKit's parser accepts it). */
export interface GeneratedDockerfile {
  source: string;
  breakage: string;
}

export function dockerfile(options: DockerfileOptions = {}): Arb<string> {
  return generatedDockerfile(options).map((g) => g.source);
}

export function generatedDockerfile(options: DockerfileOptions = {}): Arb<GeneratedDockerfile> {
  const stageNames = fc.array(fc.oneof(word, pick('builder', 'Base', 'BUILD', 'runtime', 'uv')), {
    minLength: 1,
    maxLength: 4,
  });
  return stageNames
    .chain((names) =>
      fc.record({
        escape: options.escape ? fc.constant(options.escape) : pick<'\\' | '`'>('\\', '\\', '\\', '`'),
        bomFreq: fc.integer({ min: 0, max: 9 }),
        syntax: fc.option(
          pick(
            '# syntax=docker/dockerfile:1',
            '# syntax=docker/dockerfile:1.7-labs',
            '#syntax=docker/dockerfile:1',
            '# check=skip=JSONArgsRecommended',
          ),
          { freq: 2, nil: undefined },
        ),
        escapeDirectiveFirst: fc.boolean(),
        escapeSpelling: pick(
          '# escape=`',
          '# escape=`',
          '# escape=`',
          '#escape=`',
          '# escape = `',
          '# ESCAPE=`',
          '#  Escape=`  ',
          'explicit-backslash',
        ),
        danglingContinuation: fc.integer({ min: 0, max: 30 }),
        preamble: fc.array(
          fc.oneof(
            argInstruction,
            pick('# leading comment', '').map((l) => [l]),
          ),
          { maxLength: 3 },
        ),
        stages: fc.tuple(...names.map((_, i) => stage(names, i))),
        eol: options.eol ? fc.constant(options.eol) : pick<'lf' | 'crlf' | 'mixed'>('lf', 'lf', 'lf', 'crlf', 'mixed'),
        mixedPicks: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
        finalNewline: fc.integer({ min: 0, max: 4 }),
        breakage:
          options.invalid === false
            ? fc.constant('none')
            : fc.oneof({ weight: 40, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: breakage }),
      }),
    )
    .map((spec) => {
      const directives: Lines = [];
      const explicitBackslash = spec.escapeSpelling === 'explicit-backslash';
      const escapeLine =
        spec.escape === '`'
          ? [explicitBackslash ? '# escape=`' : spec.escapeSpelling]
          : explicitBackslash
            ? ['# escape=\\']
            : [];
      if (spec.escapeDirectiveFirst) directives.push(...escapeLine, ...(spec.syntax ? [spec.syntax] : []));
      else directives.push(...(spec.syntax ? [spec.syntax] : []), ...escapeLine);
      const body = applyBreakage([...spec.preamble.flat(), ...spec.stages.flat()], spec.breakage);
      if (spec.danglingContinuation === 0) body.push(`RUN echo dangling continuation ${CONT}`);
      const lines = [...directives, ...body].flatMap((l) => l.split(CONT).join(spec.escape).split('\n'));
      let text = '';
      lines.forEach((line, i) => {
        text += line;
        const last = i === lines.length - 1;
        if (last && spec.finalNewline === 0) return;
        const crlf = spec.eol === 'crlf' || (spec.eol === 'mixed' && spec.mixedPicks[i % spec.mixedPicks.length]!);
        text += crlf ? '\r\n' : '\n';
      });
      const bom = options.bom ?? spec.bomFreq < 2;
      return { source: (bom ? '\uFEFF' : '') + text, breakage: spec.breakage };
    });
}

/** The default generator: any of the above. */
export const anyDockerfile: Arb<string> = dockerfile();
export const anyGeneratedDockerfile: Arb<GeneratedDockerfile> = generatedDockerfile();
