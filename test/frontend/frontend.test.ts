import { Metadata, status } from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decode, decodeDefinition, encode, fakeDaemonPerTest, types } from './fake-daemon.js';

const APT_TWICE = [
  'FROM debian:12',
  'RUN --mount=type=cache,target=/var/cache/apt apt-get update',
  'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl',
  '',
].join('\n');
const APT_TWICE_LOCKED = APT_TWICE.replaceAll('target=/var/cache/apt', 'target=/var/cache/apt,sharing=locked');
const CLEAN = 'FROM debian:12\nRUN echo hello\n';

const { run } = fakeDaemonPerTest();

/** The FileOp actions and vertex name of the Dockerfile handed to the upstream. */
function handedOver(request: any) {
  const { ops, metadata } = decodeDefinition(request.FrontendInputs.dockerfile);
  const [fileOp, terminal] = ops;
  const vertex = terminal.inputs[0].digest as string;
  return {
    actions: fileOp.file.actions as any[],
    name: metadata[vertex]?.description?.['llb.customname'] as string,
    vertex,
  };
}

const mkfiles = (actions: any[]) =>
  Object.fromEntries(
    actions.filter((a) => a.mkfile).map((a) => [a.mkfile.path, Buffer.from(a.mkfile.data ?? []).toString()]),
  );

describe('reading the Dockerfile', () => {
  test('from the session directory `dockerfile`, at `filename` in a subdirectory', async () => {
    const { record, exitCode } = await run(
      { trees: { 'local://dockerfile': { 'sub/Dockerfile': APT_TWICE } } },
      { filename: 'sub/Dockerfile' },
    );
    expect(exitCode).toBe(0);
    const [read] = record.reads;
    const { ops, metadata } = decodeDefinition(read.Definition);
    expect(ops[0].source).toEqual({
      identifier: 'local://dockerfile',
      attrs: {
        'local.session': 'session-1',
        'local.followpaths': JSON.stringify(['sub/Dockerfile', 'sub/Dockerfile.dockerignore', 'sub/dockerfile']),
        'local.sharedkeyhint': 'dockerfile',
      },
    });
    expect(metadata[ops[1].inputs[0].digest].description['llb.customname']).toBe(
      '[internal] load build definition from sub/Dockerfile',
    );
    expect(mkfiles(handedOver(record.upstream[0]).actions)).toEqual({ '/sub/Dockerfile': APT_TWICE_LOCKED });
    expect(record.upstream[0].FrontendOpt.filename).toBe('sub/Dockerfile');
  });

  test('falls back to a lowercase `dockerfile`, and tells the upstream that name', async () => {
    const { record } = await run(
      { trees: { 'local://dockerfile': { 'sub/dockerfile': APT_TWICE } } },
      { filename: 'sub/Dockerfile' },
    );
    expect(mkfiles(handedOver(record.upstream[0]).actions)).toEqual({ '/sub/dockerfile': APT_TWICE_LOCKED });
    expect(record.upstream[0].FrontendOpt.filename).toBe('sub/dockerfile');
  });

  test('from the `dockerfile` frontend input when there is one', async () => {
    const input = Buffer.from('an input definition');
    const { record } = await run({
      inputs: { dockerfile: input, context: Buffer.from('context definition') },
      trees: { [input.toString('hex')]: { Dockerfile: APT_TWICE }, 'local://dockerfile': { Dockerfile: CLEAN } },
    });
    expect(record.reads.map((r) => Buffer.from(r.Definition))).toEqual([input]);
    expect(mkfiles(handedOver(record.upstream[0]).actions)).toEqual({ '/Dockerfile': APT_TWICE_LOCKED });
    // other inputs go on unchanged
    expect(Buffer.from(record.upstream[0].FrontendInputs.context).toString()).toBe('context definition');
  });

  test('from the session directory named by `dockerfilekey`, ignoring the input as the upstream would', async () => {
    const { record } = await run(
      {
        inputs: { dockerfile: Buffer.from('ignored') },
        trees: { 'local://mydockerfiles': { Dockerfile: APT_TWICE } },
      },
      { dockerfilekey: 'mydockerfiles', 'local-sessionid:mydockerfiles': 'session-2' },
    );
    const source = decodeDefinition(record.reads[0].Definition).ops[0].source;
    expect(source.identifier).toBe('local://mydockerfiles');
    expect(source.attrs['local.session']).toBe('session-2');
    const upstream = record.upstream[0];
    expect(upstream.FrontendOpt.dockerfilekey).toBeUndefined();
    expect(mkfiles(handedOver(upstream).actions)).toEqual({ '/Dockerfile': APT_TWICE_LOCKED });
  });

  test('carries `<filename>.dockerignore` alongside', async () => {
    const { record } = await run(
      {
        trees: {
          'local://dockerfile': { 'a/b/app.Dockerfile': CLEAN, 'a/b/app.Dockerfile.dockerignore': 'node_modules\n' },
        },
      },
      { filename: 'a/b/app.Dockerfile' },
    );
    const { actions } = handedOver(record.upstream[0]);
    expect(mkfiles(actions)).toEqual({
      '/a/b/app.Dockerfile': CLEAN,
      '/a/b/app.Dockerfile.dockerignore': 'node_modules\n',
    });
  });

  test('a daemon without the Inputs call (BuildKit before frontend inputs) still works', async () => {
    const { record, exitCode } = await run({
      inputs: 'unimplemented',
      trees: { 'local://dockerfile': { Dockerfile: CLEAN } },
    });
    expect(exitCode).toBe(0);
    expect(Object.keys(record.upstream[0].FrontendInputs)).toEqual(['dockerfile']);
  });

  test('a remote build context: the upstream reads the Dockerfile itself', async () => {
    const { record, log } = await run({}, { context: 'https://github.com/example/app.git#main' });
    expect(record.reads).toEqual([]);
    expect(record.upstream[0].FrontendInputs).toBeUndefined();
    expect(log).toMatch(/passed on unchanged: remote build context/);
  });

  test('a missing Dockerfile: the upstream reads (and reports) it itself', async () => {
    const { record, exitCode } = await run({ trees: { 'local://dockerfile': {} } });
    expect(exitCode).toBe(0);
    expect(record.upstream[0].FrontendInputs).toBeUndefined();
    expect(record.upstream[0].FrontendOpt.filename).toBeUndefined();
  });
});

describe('the hand-over to the upstream', () => {
  const tree = { 'local://dockerfile': { Dockerfile: APT_TWICE } };

  test('the built-in frontend by default, with every option and `cmdline` set so it does not recurse', async () => {
    const options = {
      cmdline: 'example/dfrewrite',
      source: 'example/dfrewrite',
      'build-arg:FOO': 'bar',
      target: 'final',
      'frontend.caps': 'moby.buildkit.frontend.inputs',
    };
    const { record } = await run({ trees: tree }, options);
    const [request] = record.upstream;
    expect(request.Frontend).toBe('dockerfile.v0');
    expect(request.FrontendOpt).toEqual({ ...options, cmdline: 'dockerfile.v0', filename: 'Dockerfile' });
    expect(request.allowResultReturn).toBe(true);
    expect(request.allowResultArrayRef).toBe(true);
    expect(request.Definition).toBeUndefined();
  });

  test('an upstream image from the syntax line goes through gateway.v0', async () => {
    const { record } = await run(
      { trees: tree },
      { cmdline: 'example/dfrewrite --upstream=docker/dockerfile:1.10', source: 'example/dfrewrite' },
    );
    const [request] = record.upstream;
    expect(request.Frontend).toBe('gateway.v0');
    expect(request.FrontendOpt.source).toBe('docker/dockerfile:1.10');
    expect(request.FrontendOpt.cmdline).toBe('docker/dockerfile:1.10');
  });

  test('an upstream image from the DFREWRITE_UPSTREAM build arg', async () => {
    const { record } = await run({ trees: tree }, { 'build-arg:DFREWRITE_UPSTREAM': 'docker/dockerfile:1.12' });
    expect(record.upstream[0].Frontend).toBe('gateway.v0');
    expect(record.upstream[0].FrontendOpt.source).toBe('docker/dockerfile:1.12');
  });

  test('the rewritten file is one FileOp on scratch: mkdir for its directory, then mkfile', async () => {
    const { record } = await run(
      { trees: { 'local://dockerfile': { 'ci/docker/Dockerfile': APT_TWICE } } },
      { filename: 'ci/docker/Dockerfile' },
    );
    const { actions, name, vertex } = handedOver(record.upstream[0]);
    // proto3 leaves zeros out: input 0 is the mkdir's result, output 0 the op's only output
    expect(actions.map((a) => [a.input ?? 0, a.secondaryInput ?? 0, a.output ?? 0])).toEqual([
      [-1, -1, -1],
      [0, -1, 0],
    ]);
    expect(actions[0].mkdir).toEqual({ path: '/ci/docker', mode: 0o755, makeParents: true, timestamp: -1 });
    expect(actions[1].mkfile).toEqual({
      path: '/ci/docker/Dockerfile',
      mode: 0o644,
      data: Buffer.from(APT_TWICE_LOCKED),
      timestamp: -1,
    });
    expect(name).toMatch(/^\[dfrewrite\] 2 fixes: cache-mount-sharing line 2, cache-mount-sharing line 3(;|$)/);
    // the terminal op names the FileOp by the digest of its bytes
    const fileOpBytes = decode(types.definition, record.upstream[0].FrontendInputs.dockerfile).def[0];
    expect(vertex).toBe(`sha256:${createHash('sha256').update(fileOpBytes).digest('hex')}`);
  });

  test('a file without findings goes on byte for byte, named as unchanged', async () => {
    const { record } = await run({ trees: { 'local://dockerfile': { Dockerfile: CLEAN } } });
    const { actions, name } = handedOver(record.upstream[0]);
    expect(Buffer.from(actions[0].mkfile.data).toString()).toBe(CLEAN);
    expect(name).toBe('[dfrewrite] no changes');
  });

  test('a byte order mark survives', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(APT_TWICE)]);
    const { record } = await run({ trees: { 'local://dockerfile': { Dockerfile: withBom } } });
    const data = Buffer.from(handedOver(record.upstream[0]).actions[0].mkfile.data);
    expect(data.subarray(0, 3)).toEqual(withBom.subarray(0, 3));
  });

  test('the result is returned exactly as received, unknown fields included', async () => {
    const result = Buffer.concat([
      encode(types.result, { ref: { id: 'linux/amd64' } }),
      // field 99, varint 1: something a newer BuildKit might send
      Buffer.from([0x98, 0x06, 0x01]),
    ]);
    const { record } = await run({ trees: tree, upstream: () => ({ result }) });
    expect(Buffer.from(record.returns[0].result)).toEqual(result);
  });

  test('fields the trimmed protos do not declare come back byte for byte, in place', async () => {
    // Result{ref: Ref{id, field 99 (undeclared)}, attestations (11, undeclared), metadata (10)}:
    // a codec that re-encoded the Result would drop them or move them after the declared fields.
    const attestation = Buffer.concat([
      lengthDelimited(1, Buffer.from('intoto')),
      lengthDelimited(2, Buffer.from('ref-a')),
    ]);
    const result = Buffer.concat([
      lengthDelimited(3, Buffer.concat([lengthDelimited(1, Buffer.from('a')), lengthDelimited(99, Buffer.from('x'))])),
      mapEntry(11, 'a', lengthDelimited(1, attestation)),
      mapEntry(10, 'containerimage.config', Buffer.from('{}')),
    ]);
    const { record } = await run({ trees: tree, upstream: () => ({ result }) });
    expect(Buffer.from(record.returns[0].result)).toEqual(result);
  });

  test('a per-platform ref map with metadata comes back unchanged', async () => {
    const refMap = Buffer.concat([
      // Result.refs (4): RefMap{refs: {linux/amd64: {id: a}, linux/arm64: {id: b}}}, then metadata (10)
      lengthDelimited(
        4,
        Buffer.concat([
          mapEntry(1, 'linux/amd64', lengthDelimited(1, Buffer.from('a'))),
          mapEntry(1, 'linux/arm64', lengthDelimited(1, Buffer.from('b'))),
        ]),
      ),
      mapEntry(10, 'containerimage.config', Buffer.from('{"architecture":"amd64"}')),
    ]);
    const { record } = await run({ trees: tree, upstream: () => ({ result: refMap }) });
    expect(Buffer.from(record.returns[0].result)).toEqual(refMap);
  });

  test('a result above gRPC’s default 4 MiB, as BuildKit’s own frontends accept, comes back', async () => {
    const big = mapEntry(10, 'result.json', Buffer.alloc(6 << 20, 0x61));
    const { record } = await run({ trees: tree, upstream: () => ({ result: big }) });
    expect(Buffer.from(record.returns[0].result).equals(big)).toBe(true);
  });

  test('an upstream error comes back as its status, details intact', async () => {
    const detail = { type_url: 'type.googleapis.com/errdefs.Source', value: Buffer.from('line 3 of Dockerfile') };
    const anyBytes = Buffer.concat([
      lengthDelimited(1, Buffer.from(detail.type_url)),
      lengthDelimited(2, detail.value),
    ]);
    const message = 'process "/bin/sh -c false" did not complete';
    const statusBytes = encode(types.status, { code: status.UNKNOWN, message, details: [anyBytes] });
    const metadata = new Metadata();
    metadata.set('grpc-status-details-bin', statusBytes);
    const { record, exitCode } = await run({
      trees: tree,
      upstream: () => ({ error: { code: status.UNKNOWN, details: message, metadata } }),
    });
    expect(exitCode).toBe(0);
    expect(record.returns[0].result).toBeUndefined();
    expect(encode(types.status, record.returns[0].error)).toEqual(statusBytes);
    expect(Buffer.from(record.returns[0].error.details[0])).toEqual(anyBytes);
  });

  test('an upstream error without a details header still comes back with its code and message', async () => {
    const { record } = await run({
      trees: tree,
      upstream: () => ({ error: { code: status.INVALID_ARGUMENT, details: 'bad target' } }),
    });
    expect(record.returns[0].error).toEqual({ code: status.INVALID_ARGUMENT, message: 'bad target' });
  });
});

describe('the user’s own file goes on untouched', () => {
  const tree = { 'local://dockerfile': { Dockerfile: APT_TWICE } };

  test.each(['frontend.outline', 'frontend.targets', 'frontend.subrequests.describe'])(
    'subrequest %s',
    async (requestid) => {
      const options = { requestid, cmdline: 'example/dfrewrite', dockerfilekey: 'dockerfile', filename: 'Dockerfile' };
      const { record } = await run({ trees: tree, inputs: { context: Buffer.from('ctx') } }, options);
      expect(record.reads).toEqual([]);
      expect(record.upstream[0].FrontendOpt).toEqual({ ...options, cmdline: 'dockerfile.v0' });
      expect(Object.keys(record.upstream[0].FrontendInputs)).toEqual(['context']);
      expect(record.returns).toHaveLength(1);
    },
  );

  test('DFREWRITE=off', async () => {
    const { record, log } = await run({ trees: tree }, { 'build-arg:DFREWRITE': 'off' });
    expect(record.reads).toEqual([]);
    expect(record.upstream[0].FrontendInputs).toBeUndefined();
    expect(log).toMatch(/DFREWRITE=off/);
  });

  test('a file that is not UTF-8 goes on byte for byte', async () => {
    const latin1 = Buffer.from('FROM debian:12\n# caf\xe9\n', 'latin1');
    const { record } = await run({ trees: { 'local://dockerfile': { Dockerfile: latin1 } } });
    const { actions, name } = handedOver(record.upstream[0]);
    expect(Buffer.from(actions[0].mkfile.data)).toEqual(latin1);
    expect(name).toBe('[dfrewrite] not rewritten: the file is not UTF-8');
  });
});

describe('warnings', () => {
  const tree = { 'local://dockerfile': { Dockerfile: APT_TWICE } };

  test('one Warn per finding, on the rewritten file’s vertex, as the Dockerfile frontend sends lint warnings', async () => {
    const { record } = await run({ trees: tree, caps: ['gateway.warnings'] });
    const { vertex } = handedOver(record.upstream[0]);
    const sharing = record.warnings.filter((w) => Buffer.from(w.short).toString().startsWith('cache-mount-sharing:'));
    expect(sharing).toHaveLength(2);
    const [first] = sharing;
    expect(first.digest).toBe(vertex);
    expect(first.level).toBe(1);
    // what was changed, and where: linter.LintFormatShort's `RULE: MESSAGE (line N)`
    expect(sharing.map((w) => Buffer.from(w.short).toString())).toEqual([
      expect.stringMatching(/^cache-mount-sharing: cache mount \/var\/cache\/apt .*: set sharing=locked \(line 2\)$/),
      expect.stringMatching(/^cache-mount-sharing: .*: set sharing=locked \(line 3\)$/),
    ]);
    // the rule's description as detail, as the Dockerfile frontend does
    expect(first.detail.map((d: Buffer) => Buffer.from(d).toString())).toEqual([
      expect.stringMatching(/sharing=locked/),
    ]);
    expect(first.url).toBe('https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md');
    expect(first.info.filename).toBe('Dockerfile');
    expect(Buffer.from(first.info.data).toString()).toBe(APT_TWICE);
    expect(first.info.language).toBe('Dockerfile');
    expect(Buffer.from(first.info.definition)).toEqual(Buffer.from(record.reads[0].Definition));
    expect(first.ranges).toEqual([{ start: { line: 2, character: 4 }, end: { line: 2, character: 44 } }]);
  });

  test('a finding only reported says why nothing was changed', async () => {
    const shared = 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=shared apt-get update\n';
    const { record } = await run({
      trees: { 'local://dockerfile': { Dockerfile: shared } },
      caps: ['gateway.warnings'],
    });
    const shorts = record.warnings.map((w) => Buffer.from(w.short).toString());
    expect(shorts).toContainEqual(
      expect.stringMatching(/^cache-mount-sharing: .*sharing=shared.*\(left as written\) \(line 2\)$/),
    );
  });

  test('none where the daemon does not advertise gateway.warnings (BuildKit 0.8)', async () => {
    const { record } = await run({ trees: tree, caps: ['frontend.inputs', 'proto.refarray'] });
    expect(record.warnings).toEqual([]);
    expect(record.returns).toHaveLength(1);
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

function lengthDelimited(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);
}

function mapEntry(field: number, key: string, value: Buffer): Buffer {
  return lengthDelimited(field, Buffer.concat([lengthDelimited(1, Buffer.from(key)), lengthDelimited(2, value)]));
}
