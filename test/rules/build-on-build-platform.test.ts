import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { blocked, MOVED } from '../helpers/build-platform-cases.js';
import { lines, ruleTable, type RuleCase } from '../helpers/rule-table.js';

const ID = 'build-on-build-platform';
const GO_TARGET = 'GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=$([ "$TARGETARCH" != arm ] || echo "${TARGETVARIANT#v}")';
const TARGET_ARGS = ['ARG TARGETOS', 'ARG TARGETARCH', 'ARG TARGETVARIANT'];
const FINAL = ['FROM gcr.io/distroless/static', 'COPY --from=build /out/app /app'];

/** A Go stage around `body`, copied into a final stage. */
const goFile = (from: string, ...body: string[]): string => lines(from, 'WORKDIR /src', 'COPY . .', ...body, ...FINAL);

const CASES: RuleCase[] = [
  {
    name: 'Go with ENV CGO_ENABLED=0: moved, the target ARGs declared, GOOS/GOARCH/GOARM before go build',
    input: goFile(
      'FROM golang:1.23 AS build',
      'ENV CGO_ENABLED=0',
      'RUN go mod download',
      'RUN --mount=type=cache,target=/root/.cache/go-build go generate ./... && go build -o /out/app ./cmd/app',
    ),
    output: goFile(
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
      'ENV CGO_ENABLED=0',
      'RUN go mod download',
      ...TARGET_ARGS,
      `RUN --mount=type=cache,target=/root/.cache/go-build go generate ./... && ${GO_TARGET} go build -o /out/app ./cmd/app`,
    ),
    findings: [
      {
        line: 1,
        fixed: true,
        message: `go build in a stage that runs emulated for other platforms: ${MOVED}, cross-compiling`,
      },
    ],
  },
  {
    name: 'cgo off on the command, by export, by ARG or by go env -w; every go build gets the target; lower-case from kept',
    input: goFile(
      'from golang AS build',
      'RUN CGO_ENABLED=0 go build -o /out/a ./a',
      'RUN export CGO_ENABLED=0; go build -o /out/b ./b',
      'ARG CGO_ENABLED=0',
      'RUN go build -o /out/app .',
    ),
    output: goFile(
      'from --platform=$BUILDPLATFORM golang AS build',
      ...TARGET_ARGS,
      `RUN CGO_ENABLED=0 ${GO_TARGET} go build -o /out/a ./a`,
      `RUN export CGO_ENABLED=0; ${GO_TARGET} go build -o /out/b ./b`,
      'ARG CGO_ENABLED=0',
      `RUN ${GO_TARGET} go build -o /out/app .`,
    ),
    findings: [{ line: 1, fixed: true }],
  },
  {
    name: 'go env -w CGO_ENABLED=0 in an earlier RUN; a heredoc script; go install tool@version stays native',
    input: goFile(
      'FROM golang:1.23-alpine AS build',
      'RUN go env -w CGO_ENABLED=0 && go install github.com/a/gen@v1.2.3',
      'RUN <<EOF',
      'set -e',
      'gen ./...',
      'go build -o /out/app .',
      'EOF',
    ),
    output: goFile(
      'FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build',
      'RUN go env -w CGO_ENABLED=0 && go install github.com/a/gen@v1.2.3',
      ...TARGET_ARGS,
      'RUN <<EOF',
      'set -e',
      'gen ./...',
      `${GO_TARGET} go build -o /out/app .`,
      'EOF',
    ),
    findings: [{ line: 1, fixed: true }],
  },
  blocked(
    'cgo not explicitly off: Go would turn it on natively and off when cross-compiling',
    'cgo is not explicitly off (CGO_ENABLED=0)',
    goFile('FROM golang AS build', 'RUN go build -o /out/app .'),
  ),
  blocked(
    'go install: the cross-compiled binary lands in $GOPATH/bin/linux_arm64/',
    'go install',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN go install ./cmd/app'),
  ),
  blocked(
    'go test runs what it builds',
    'go test',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN go test ./... && go build -o /out/app .'),
  ),
  blocked(
    'go run runs what it builds',
    'go run',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN go run ./tools/gen && go build -o /out/app .'),
  ),
  blocked(
    'running the binary it built',
    'it runs the binary it builds (/out/app)',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN go build -o /out/app .', 'RUN /out/app --version'),
  ),
  blocked(
    'target libraries (apt)',
    'it installs target libraries (libsqlite3-dev)',
    goFile(
      'FROM golang AS build',
      'RUN apt-get update && apt-get install -y libsqlite3-dev',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
    ),
  ),
  blocked(
    'target libraries (apk)',
    'it installs target libraries (musl-dev)',
    goFile(
      'FROM golang:alpine AS build',
      'RUN apk add --no-cache git musl-dev',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
    ),
  ),
  blocked(
    'a target chosen by the stage itself',
    'the stage sets GOOS/GOARCH itself',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0 GOOS=linux', 'RUN go build -o /out/app .'),
  ),
  blocked(
    'a stage that asks its architecture',
    'it asks which architecture it runs on',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN echo "$(uname -m)" > /arch && go build -o /out/app .'),
  ),
  blocked(
    'dpkg --print-architecture',
    'it asks which architecture it runs on',
    goFile(
      'FROM golang AS build',
      'ENV CGO_ENABLED=0',
      'RUN curl -o /t "https://x/$(dpkg --print-architecture)" && go build -o /out/app .',
    ),
  ),
  blocked(
    'a stage that fetches something for $TARGETARCH',
    'it reads $TARGETARCH',
    goFile(
      'FROM golang AS build',
      'ENV CGO_ENABLED=0',
      'ARG TARGETARCH',
      'RUN curl -o /protoc https://x/protoc-$TARGETARCH',
      'RUN go build -o /out/app .',
    ),
  ),
  blocked(
    "a base image named by $TARGETARCH: on the build platform it would still be the target's image",
    'its base image is chosen by $TARGETARCH',
    goFile('FROM local/golang-${TARGETARCH} AS build', 'ENV CGO_ENABLED=0', 'RUN go build -o /out/app .'),
  ),
  blocked(
    'go build in exec form',
    'go build in exec form (JSON) cannot be given the target',
    goFile('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN ["go", "build", "-o", "/out/app", "."]'),
  ),
  blocked(
    'the last stage is the image itself',
    'it is the last stage',
    lines('FROM golang AS build', 'ENV CGO_ENABLED=0', 'RUN go build -o /usr/local/bin/app .'),
  ),
  blocked(
    'a stage another stage is built FROM',
    'stage test is built FROM it',
    lines(
      'FROM golang AS build',
      'ENV CGO_ENABLED=0',
      'RUN go build -o /out/app .',
      'FROM build AS test',
      'RUN echo ok',
      ...FINAL,
    ),
  ),
  blocked(
    'a stage built FROM another stage',
    'it is built FROM stage base',
    lines('FROM golang AS base', 'ENV CGO_ENABLED=0', 'FROM base AS build', 'RUN go build -o /out/app .', ...FINAL),
    3,
  ),
  {
    name: 'left alone: two blockers, a stage nothing copies from, a stage placed by --platform, no go build',
    input: lines(
      'FROM golang AS twice',
      'RUN go build -o /out/app . && go test ./...',
      'FROM golang AS unused',
      'ENV CGO_ENABLED=0',
      'RUN go build -o /out/app .',
      'FROM --platform=$TARGETPLATFORM golang AS placed',
      'ENV CGO_ENABLED=0',
      'RUN go build -o /out/app .',
      'FROM golang AS tools',
      'RUN go version > /v',
      'FROM scratch',
      'COPY --from=twice /out/app /a',
      'COPY --from=placed /out/app /b',
      'COPY --from=tools /v /v',
    ),
    findings: [],
  },
  {
    name: 'static assets copied into nginx: moved',
    input: lines(
      'FROM node:22 AS web',
      'WORKDIR /app',
      'COPY . .',
      'RUN npm ci && npm run build',
      'FROM nginx:1.27-alpine',
      'COPY --from=web /app/dist /usr/share/nginx/html',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM node:22 AS web',
      'WORKDIR /app',
      'COPY . .',
      'RUN npm ci && npm run build',
      'FROM nginx:1.27-alpine',
      'COPY --from=web /app/dist /usr/share/nginx/html',
    ),
    findings: [
      {
        line: 1,
        fixed: true,
        message: `npm run build (static assets) in a stage that runs emulated for other platforms: ${MOVED}`,
      },
    ],
  },
  {
    name: 'yarn build, npx vite build, pnpm run build:prod into caddy, httpd and scratch (by stage index too)',
    input: lines(
      'FROM node:22 AS a',
      'RUN yarn install && yarn build',
      'FROM node:22 AS b',
      'RUN npx vite build',
      'FROM node:22',
      'RUN pnpm run build:prod',
      'FROM caddy:2',
      'COPY --from=a /app/build/ /srv',
      'FROM httpd:2.4',
      'COPY --from=b /app/dist/* /usr/local/apache2/htdocs/',
      'FROM scratch',
      'COPY --from=2 /app/out /site',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM node:22 AS a',
      'RUN yarn install && yarn build',
      'FROM --platform=$BUILDPLATFORM node:22 AS b',
      'RUN npx vite build',
      'FROM --platform=$BUILDPLATFORM node:22',
      'RUN pnpm run build:prod',
      'FROM caddy:2',
      'COPY --from=a /app/build/ /srv',
      'FROM httpd:2.4',
      'COPY --from=b /app/dist/* /usr/local/apache2/htdocs/',
      'FROM scratch',
      'COPY --from=2 /app/out /site',
    ),
    findings: [
      { line: 1, fixed: true, message: 'yarn build (static assets)' },
      { line: 3, fixed: true, message: 'npx vite build (static assets)' },
      { line: 5, fixed: true, message: 'pnpm run build:prod (static assets)' },
    ],
  },
  blocked(
    'node_modules copied on: native addons are built for the platform',
    'node_modules is copied on',
    lines(
      'FROM node:22 AS web',
      'RUN npm ci && npm run build',
      'FROM nginx',
      'COPY --from=web /app/dist /usr/share/nginx/html',
      'COPY --from=web /app/node_modules /opt/node_modules',
    ),
  ),
  blocked(
    'the output goes to a Node runtime, not a file server',
    'its output goes to node:22-slim, not a file server',
    lines('FROM node:22 AS web', 'RUN npm run build', 'FROM node:22-slim', 'COPY --from=web /app/dist /app/dist'),
  ),
  blocked(
    'the whole stage copied on',
    '/app is copied on, not only build output',
    lines(
      'FROM node:22 AS web',
      'WORKDIR /app',
      'RUN npm run build',
      'FROM nginx',
      'COPY --from=web /app /usr/share/nginx/html',
    ),
  ),
];

ruleTable('build-on-build-platform', CASES, { applySuggested: true });

describe(`${ID}: without suggested fixes, and the emulation guards`, () => {
  const goWithUv = goFile(
    'FROM golang:1.23 AS build',
    'ENV CGO_ENABLED=0 UV_COMPILE_BYTECODE=1',
    'RUN uv sync --frozen',
    'RUN go build -o /out/app .',
  );

  it('is reported, not applied, by default: the stage stays emulated and the uv guard goes in', () => {
    const result = rewrite(goWithUv, { rules: { enable: [ID, 'uv-emulated-bytecode'] } });
    expect(result.output).toContain('FROM golang:1.23 AS build');
    expect(result.output).toContain('dfrewrite_uv_flags=;');
    const move = result.findings.find((f) => f.ruleId === ID)!;
    expect(move.fixed).toBe(false);
    expect(move.fix?.level).toBe('suggested');
  });

  it('with suggested fixes, a moved stage runs natively: the uv and bootsnap guards add nothing there', () => {
    const source = lines(
      'FROM node:22 AS web',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync --frozen',
      'RUN <<EOF',
      '#!/bin/sh',
      'bundle exec bootsnap precompile app/',
      'npm run build',
      'EOF',
      'FROM nginx',
      'COPY --from=web /app/dist /usr/share/nginx/html',
    );
    for (const input of [goWithUv, source]) {
      expect(rewrite(input).output).toContain('dfrewrite_'); // guarded while the stage runs emulated
      const result = rewrite(input, { applySuggested: true });
      expect(result.output).toContain('--platform=$BUILDPLATFORM');
      expect(result.output).not.toContain('dfrewrite_');
      expect(result.findings.find((f) => f.ruleId === ID)?.fixed).toBe(true);
      expect(result.findings.filter((f) => f.fixed).map((f) => f.ruleId)).toEqual([ID]);
      expect(rewrite(result.output, { applySuggested: true }).output).toBe(result.output);
    }
  });
});
