import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { lines, ruleTable } from '../helpers/rule-table.js';

ruleTable('platform-args', [
  {
    name: 'the reported shape: a $BUILDPLATFORM stage with ARG TARGETARCH=amd64 builds amd64 for every platform',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
      'ARG TARGETARCH=amd64',
      'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      'FROM alpine',
      'COPY --from=build /out/app /app',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
      'ARG TARGETARCH',
      'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      'FROM alpine',
      'COPY --from=build /out/app /app',
    ),
    findings: [{ line: 2, fixed: true, message: 'every platform gets amd64, without a warning): default dropped' }],
  },
  {
    name: 'every automatic argument; quoted, empty and self-referencing defaults are dropped too',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'ARG TARGETPLATFORM="linux/amd64"',
      'ARG TARGETOS=linux TARGETARCH=',
      'ARG TARGETVARIANT=$TARGETVARIANT',
      'ARG BUILDPLATFORM=${BUILDPLATFORM}',
      'ARG BUILDOS=${BUILDOS:-linux}',
      'ARG BUILDARCH=amd64',
      "ARG BUILDVARIANT=''",
      'RUN echo $TARGETPLATFORM $TARGETOS $TARGETARCH $TARGETVARIANT $BUILDPLATFORM $BUILDOS $BUILDARCH $BUILDVARIANT',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'ARG TARGETPLATFORM',
      'ARG TARGETOS TARGETARCH',
      'ARG TARGETVARIANT',
      'ARG BUILDPLATFORM',
      'ARG BUILDOS',
      'ARG BUILDARCH',
      'ARG BUILDVARIANT',
      'RUN echo $TARGETPLATFORM $TARGETOS $TARGETARCH $TARGETVARIANT $BUILDPLATFORM $BUILDOS $BUILDARCH $BUILDVARIANT',
    ),
    findings: [
      { line: 2, fixed: true, message: 'every platform gets linux/amd64' },
      { line: 3, fixed: true },
      { line: 3, fixed: true, message: 'it is empty' },
      { line: 4, fixed: true, message: "BuildKit's value is never used" },
      { line: 5, fixed: true },
      { line: 6, fixed: true },
      { line: 7, fixed: true },
      { line: 8, fixed: true },
    ],
  },
  {
    name: 'a default in the global scope feeds every stage that declares the argument: the declaration goes',
    // a bare global ARG TARGETARCH would leave it empty on BuildKit before 0.17 (docs/arg-scoping.md)
    input: lines(
      'ARG TARGETARCH=amd64',
      'FROM --platform=$BUILDPLATFORM golang',
      'ARG TARGETARCH',
      'RUN echo $TARGETARCH',
    ),
    output: lines('FROM --platform=$BUILDPLATFORM golang', 'ARG TARGETARCH', 'RUN echo $TARGETARCH'),
    findings: [
      { line: 1, fixed: true, message: 'every platform gets amd64, without a warning); BuildKit fills it in' },
    ],
  },
  {
    name: 'a global automatic ARG without a default empties it before BuildKit 0.17: removed, one name of several too',
    input: lines(
      'ARG BUILDPLATFORM',
      'ARG VERSION=1 TARGETOS BUILDARCH',
      '  ARG TARGETVARIANT \\',
      '    TARGETARCH',
      'FROM --platform=$BUILDPLATFORM golang',
      'ARG BUILDARCH',
      'RUN echo $BUILDARCH',
    ),
    output: lines(
      'ARG VERSION=1',
      '  ARG TARGETVARIANT \\',
      '    TARGETARCH',
      'FROM --platform=$BUILDPLATFORM golang',
      'ARG BUILDARCH',
      'RUN echo $BUILDARCH',
    ),
    findings: [
      { line: 1, fixed: true, message: 'leaves BUILDPLATFORM empty in FROM and in the stages that declare it' },
      { line: 2, fixed: true },
      { line: 2, fixed: true },
      { line: 3, fixed: false, message: 'not changed (the ARG spans lines)' },
      { line: 4, fixed: false },
    ],
  },
  {
    name: 'a default naming another variable is reported, not changed',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang',
      'ARG TARGETARCH=${ARCH}',
      'ARG TARGETOS=$BUILDOS',
      'RUN echo $TARGETARCH $TARGETOS',
    ),
    findings: [
      { line: 2, fixed: false, message: 'not changed: the default names $ARCH' },
      { line: 3, fixed: false, message: 'the default names $BUILDOS' },
    ],
  },
  {
    name: 'a stage that reads $TARGETARCH without declaring it gets the ARG before the first reader',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'WORKDIR /src',
      'RUN --mount=type=cache,target=/root/.cache/go-build,id=go-${TARGETARCH} \\',
      '    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app-$TARGETARCH .',
      'ENV CGO_ENABLED=0 PLATFORM=${TARGETPLATFORM}',
      'FROM alpine',
      'COPY --from=build /out/app-${TARGETARCH} /app',
      'ADD https://example.com/tool-${TARGETOS}.tar.gz /tmp/',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'WORKDIR /src',
      'ARG TARGETARCH',
      'ARG TARGETOS',
      'ARG TARGETPLATFORM',
      'RUN --mount=type=cache,target=/root/.cache/go-build,id=go-${TARGETARCH} \\',
      '    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app-$TARGETARCH .',
      'ENV CGO_ENABLED=0 PLATFORM=${TARGETPLATFORM}',
      'FROM alpine',
      'ARG TARGETARCH',
      'ARG TARGETOS',
      'COPY --from=build /out/app-${TARGETARCH} /app',
      'ADD https://example.com/tool-${TARGETOS}.tar.gz /tmp/',
    ),
    findings: [
      { line: 3, fixed: true, message: 'RUN reads $TARGETARCH, $TARGETOS, which BuildKit leaves empty' },
      { line: 5, fixed: true, message: 'ENV reads $TARGETPLATFORM' },
      { line: 7, fixed: true, message: 'adds 2 lines' },
      { line: 8, fixed: true },
    ],
  },
  {
    name: 'ARGs already declared, or set by ENV, are not declared again; FROM lines need no declaration',
    input: lines(
      'FROM --platform=$BUILDPLATFORM local/busybox-${TARGETARCH} AS a',
      'ARG TARGETARCH',
      'ENV ARCH=$TARGETARCH TARGETOS=linux',
      'RUN echo $TARGETARCH $ARCH $TARGETOS',
      'FROM a',
      'RUN echo $TARGETOS',
    ),
    findings: [],
  },
  {
    name: 'ARGs declared in the stage a stage is built FROM are inherited (BuildKit, measured on Docker 20.10 and 28.5)',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang AS base',
      'ARG TARGETOS TARGETARCH',
      'FROM base AS build',
      'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      'FROM alpine',
      'RUN echo $TARGETARCH',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM golang AS base',
      'ARG TARGETOS TARGETARCH',
      'FROM base AS build',
      'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      'FROM alpine',
      'ARG TARGETARCH',
      'RUN echo $TARGETARCH',
    ),
    findings: [{ line: 6, fixed: true }],
  },
  {
    name: 'a read before a later declaration still gets one; an ARG default that reads it counts',
    input: lines('FROM busybox', 'ARG GOARCH=$TARGETARCH', 'ARG TARGETARCH', 'RUN echo $GOARCH'),
    output: lines('FROM busybox', 'ARG TARGETARCH', 'ARG GOARCH=$TARGETARCH', 'ARG TARGETARCH', 'RUN echo $GOARCH'),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'names that only begin like an automatic argument, and CMD/ENTRYPOINT (not expanded at build), are left alone',
    input: lines(
      'FROM busybox',
      'RUN echo $TARGETARCHIVE ${BUILDARCH_X}',
      'CMD echo $TARGETARCH',
      'ENTRYPOINT ["sh", "-c", "echo $TARGETOS"]',
    ),
    findings: [],
  },
  {
    name: 'a heredoc body that reads the argument',
    input: lines('FROM busybox', 'RUN <<EOF', 'echo "building for $TARGETPLATFORM"', 'EOF'),
    output: lines('FROM busybox', 'ARG TARGETPLATFORM', 'RUN <<EOF', 'echo "building for $TARGETPLATFORM"', 'EOF'),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'a --mount flag split by a continuation (BuildKit joins it into one word)',
    input: lines('FROM busybox', 'RUN --mount=type=cache,\\', 'id=cache-$TARGETARCH,target=/c \\', '    ls /c'),
    output: lines(
      'FROM busybox',
      'ARG TARGETARCH',
      'RUN --mount=type=cache,\\',
      'id=cache-$TARGETARCH,target=/c \\',
      '    ls /c',
    ),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'CRLF files get CRLF lines; indentation is kept',
    input: 'FROM busybox\r\n  ARG TARGETARCH=amd64\r\n  RUN echo $TARGETOS\r\n',
    output: 'FROM busybox\r\n  ARG TARGETARCH\r\n  ARG TARGETOS\r\n  RUN echo $TARGETOS\r\n',
    findings: [
      { line: 2, fixed: true },
      { line: 3, fixed: true },
    ],
  },
  {
    name: 'ONBUILD: a default is dropped; a read is reported (the trigger runs in another build)',
    input: lines(
      'FROM busybox',
      'ONBUILD ARG TARGETARCH=amd64',
      'ONBUILD RUN echo $TARGETARCH',
      'ONBUILD RUN echo $TARGETOS',
    ),
    output: lines(
      'FROM busybox',
      'ONBUILD ARG TARGETARCH',
      'ONBUILD RUN echo $TARGETARCH',
      'ONBUILD RUN echo $TARGETOS',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 4, fixed: false, message: 'add ONBUILD ARG TARGETOS before it' },
    ],
  },
]);

ruleTable('platform-args', [
  {
    name: 'GOARCH/GOOS hard-coded in a $BUILDPLATFORM stage: reported with a suggested fix (not applied by default)',
    input: lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'ENV GOOS=linux',
      'RUN CGO_ENABLED=0 GOARCH=amd64 go build -o /app .',
      'FROM build AS more',
      'RUN export GOARCH=arm64 && go build ./cmd/x',
      'FROM alpine',
      'COPY --from=build /app /app',
    ),
    findings: [
      { line: 2, fixed: false, message: 'use GOOS=$TARGETOS (suggested fix)' },
      { line: 3, fixed: false, message: 'GOARCH=amd64 in a stage that runs on the build platform' },
      { line: 5, fixed: false, message: 'use GOARCH=$TARGETARCH' },
    ],
  },
  {
    name: 'GOARCH in a stage that runs on the target, a loop over several values, or a variable: left alone',
    input: lines(
      'FROM golang AS native',
      'RUN GOARCH=amd64 go build .',
      'FROM --platform=$BUILDPLATFORM golang AS cross',
      'RUN GOARCH=amd64 go build -o a . && GOARCH=arm64 go build -o b .',
      'ARG TARGETARCH',
      'RUN GOARCH=${TARGETARCH} go build . && GOOS="$TARGETOS" go vet',
      'RUN echo GOARCH=amd64',
    ),
    output: lines(
      'FROM golang AS native',
      'RUN GOARCH=amd64 go build .',
      'FROM --platform=$BUILDPLATFORM golang AS cross',
      'RUN GOARCH=amd64 go build -o a . && GOARCH=arm64 go build -o b .',
      'ARG TARGETARCH',
      'ARG TARGETOS',
      'RUN GOARCH=${TARGETARCH} go build . && GOOS="$TARGETOS" go vet',
      'RUN echo GOARCH=amd64',
    ),
    findings: [{ line: 6, fixed: true, message: 'reads $TARGETOS' }],
  },
  {
    name: 'uname -m, arch, dpkg --print-architecture, apk --print-arch in a $BUILDPLATFORM stage: the build machine, reported',
    input: lines(
      'FROM --platform=$BUILDPLATFORM debian AS build',
      'RUN ARCH=$(uname -m) && curl -fsSLo /tool.tgz "https://example.com/tool-${ARCH}.tgz"',
      'RUN echo "deb [arch=$(dpkg --print-architecture)] https://example.com stable main" > /etc/apt/sources.list.d/x.list',
      'RUN case `arch` in x86_64) ;; esac; apk --print-arch > /arch; /usr/bin/arch',
      'FROM build AS child',
      'RUN dpkg --print-architecture > /arch',
      'RUN ARCH=$(cd /; arch)',
    ),
    findings: [
      { line: 2, fixed: false, message: 'uname -m in a stage that runs on the build platform ($BUILDPLATFORM)' },
      { line: 3, fixed: false, message: 'use ${TARGETARCH} (suggested fix' },
      { line: 4, fixed: false, message: 'which names them amd64 / arm64 where arch prints x86_64 / aarch64' },
      { line: 4, fixed: false, message: 'apk --print-arch in a stage' },
      { line: 4, fixed: false, message: 'arch in a stage' },
      { line: 6, fixed: false, message: 'not changed: use $TARGETARCH (declare ARG TARGETARCH)' },
      { line: 7, fixed: false, message: 'arch in a stage' },
    ],
  },
  {
    name: 'a $BUILDPLATFORM stage that reads a TARGET argument handles the target: its uname -m picks build tools',
    input: lines(
      'FROM --platform=$BUILDPLATFORM ubuntu AS build',
      'ARG TARGETPLATFORM',
      'RUN case "$TARGETPLATFORM" in linux/arm64) echo aarch64 > /target ;; *) echo x86_64 > /target ;; esac',
      'RUN curl -o /rustup-init "https://example.com/$(uname -m)-unknown-linux-gnu/rustup-init" && /rustup-init --target "$(cat /target)"',
    ),
    findings: [],
  },
  {
    name: 'the same commands where the stage runs on the target, in comments, as other words or case patterns: nothing',
    input: lines(
      'FROM debian AS target',
      'RUN ARCH=$(uname -m) && echo "$(dpkg --print-architecture)" && arch',
      'FROM --platform=linux/amd64 debian AS fixed',
      'RUN uname -m',
      'FROM --platform=$BUILDPLATFORM debian',
      '# RUN uname -m',
      'RUN echo archive --arch uname-m; uname -r; dpkg --print-foreign-architectures',
      'RUN case "$1" in x86_64|arch) echo intel ;; aarch64 | arch ) echo arm ;; esac',
    ),
    findings: [],
  },
]);

describe('platform-args suggested fixes', () => {
  it('GOARCH/GOOS become $TARGETARCH/$TARGETOS, with the ARG declared, when suggested fixes are applied', () => {
    const input = lines(
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'ENV GOOS=linux',
      'RUN <<EOF',
      'CGO_ENABLED=0 GOARCH=amd64 go build -o /app .',
      'EOF',
      'RUN GOARCH="arm64" go build .',
    );
    const result = rewrite(input, { rules: { enable: ['platform-args'] }, applySuggested: true });
    expect(result.output).toBe(
      lines(
        'FROM --platform=$BUILDPLATFORM golang AS build',
        'ARG TARGETOS',
        'ENV GOOS=$TARGETOS',
        'ARG TARGETARCH',
        'RUN <<EOF',
        'CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .',
        'EOF',
        'RUN GOARCH="arm64" go build .',
      ),
    );
    expect(result.findings.map((f) => [f.range.start.line + 1, f.fixed, f.fix?.level])).toEqual([
      [2, true, 'suggested'],
      [4, true, 'suggested'],
      [6, false, undefined],
    ]);
    expect(result.findings[2]!.message).toContain('not changed (quoted)');
    const again = rewrite(result.output, { rules: { enable: ['platform-args'] }, applySuggested: true });
    expect(again.output).toBe(result.output);
  });

  it('a GOARCH value split by a line continuation is reported without a fix (an edit would join the lines)', () => {
    const input = lines('FROM --platform=$BUILDPLATFORM golang', 'RUN GOARCH=am\\', 'd64 GOOS=linux go build .');
    const result = rewrite(input, { rules: { enable: ['platform-args'] }, applySuggested: true });
    expect(result.output).toBe(
      lines(
        'FROM --platform=$BUILDPLATFORM golang',
        'ARG TARGETOS',
        'RUN GOARCH=am\\',
        'd64 GOOS=$TARGETOS go build .',
      ),
    );
    expect(result.findings.map((f) => [f.range.start.line + 1, f.fixed, f.fix?.addedLines])).toEqual([
      [2, false, undefined],
      [3, true, 1],
    ]);
    expect(result.findings[0]!.message).toContain('GOARCH=amd64 in a stage that runs on the build platform');
    expect(result.findings[0]!.message).toContain('not changed (split across lines): use GOARCH=$TARGETARCH');
  });

  it('shares declarations with the uv rule: no ARG is inserted twice', () => {
    const input = lines('FROM python', 'ENV UV_COMPILE_BYTECODE=1', 'RUN echo $TARGETARCH && uv sync');
    const result = rewrite(input);
    expect(result.output.match(/^ARG TARGETARCH$/gm)).toHaveLength(1);
    expect(result.output.match(/^ARG BUILDARCH$/gm)).toHaveLength(1);
    expect(rewrite(result.output).output).toBe(result.output);
  });

  it('$(dpkg --print-architecture) becomes ${TARGETARCH}, with the ARG declared, when suggested fixes are applied', () => {
    const input = lines(
      'FROM --platform=$BUILDPLATFORM debian AS build',
      'RUN echo "deb [arch=$(dpkg --print-architecture)] https://example.com stable main" > /etc/apt/sources.list.d/x.list',
      'RUN case "` dpkg --print-architecture `" in amd64) echo 64 ;; esac',
      'RUN ARCH=$(dpkg --print-architecture | cut -d- -f1) ./fetch',
    );
    const options = { rules: { enable: ['platform-args'] }, applySuggested: true };
    const result = rewrite(input, options);
    expect(result.output).toBe(
      lines(
        'FROM --platform=$BUILDPLATFORM debian AS build',
        'ARG TARGETARCH',
        'RUN echo "deb [arch=${TARGETARCH}] https://example.com stable main" > /etc/apt/sources.list.d/x.list',
        'RUN case "${TARGETARCH}" in amd64) echo 64 ;; esac',
        'RUN ARCH=$(dpkg --print-architecture | cut -d- -f1) ./fetch',
      ),
    );
    expect(result.findings.map((f) => [f.range.start.line + 1, f.fixed, f.fix?.level])).toEqual([
      [2, true, 'suggested'],
      [3, true, 'suggested'],
      [4, false, undefined],
    ]);
    expect(rewrite(result.output, options).output).toBe(result.output);
  });
});
