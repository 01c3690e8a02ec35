// Large Dockerfiles and the gateway's message size limit; unknown rule ids.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { withoutRefDefinitions } from '../../src/frontend/gateway/messages.js';
import { decode, decodeDefinition, encode, fakeDaemonPerTest, types } from './fake-daemon.js';

const APT = 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
/** A Dockerfile of about `mib` MiB: the APT line, then a long comment. */
const large = (mib: number) =>
  `${APT}${'# padding padding padding padding padding padding padding padding\n'.repeat(Math.ceil((mib * (1 << 20)) / 66))}`;

/** A .dockerignore of 4 MiB: it goes with the rewritten file, so the request is over 4 MiB. */
const DOCKERIGNORE_4_MIB = 'x\n'.repeat(2 << 20);

const { run } = fakeDaemonPerTest();

const stepNames = (requests: any[]) =>
  requests.map((r) => {
    const { ops, metadata } = decodeDefinition(r.Definition);
    return metadata[ops.at(-1).inputs[0].digest].description['llb.customname'] as string;
  });

describe('a Dockerfile over 1 MiB', () => {
  test.each([4 << 20, 16 << 20])(
    'is not rewritten, whatever the daemon takes (%i bytes): the upstream reads the user’s own file, and a step and a warning say why',
    async (maxReceiveBytes) => {
      const { record, exitCode, log } = await run({
        maxReceiveBytes,
        caps: ['gateway.warnings'],
        trees: { 'local://dockerfile': { Dockerfile: large(1.01) } },
      });
      expect(exitCode).toBe(0);
      expect(record.upstream).toHaveLength(1);
      expect(record.upstream[0].FrontendInputs).toBeUndefined();
      const [, note] = stepNames(record.reads);
      expect(note).toBe('[dfrewrite] not rewritten: the Dockerfile is over 1 MiB; building the original file');
      expect(log).toMatch(/Dockerfile: not rewritten: the Dockerfile is over 1 MiB; building the original file/);
      const shorts = record.warnings.map((w) => Buffer.from(w.short).toString());
      expect(shorts).toEqual(['dfrewrite: not rewritten: the Dockerfile is over 1 MiB']);
      expect(record.warnings[0].digest).toBe(decodeDefinition(record.reads[1].Definition).ops[1].inputs[0].digest);
      expect(record.returns).toHaveLength(1);
    },
  );

  test('exactly 1 MiB is still rewritten', async () => {
    const text = large(1);
    const exact = text.slice(0, (1 << 20) - 1) + '\n';
    expect(Buffer.byteLength(exact)).toBe(1 << 20);
    const { record } = await run({ trees: { 'local://dockerfile': { Dockerfile: exact } } });
    const handed = decodeDefinition(record.upstream[0].FrontendInputs.dockerfile);
    expect(Buffer.from(handed.ops[0].file.actions[0].mkfile.data).toString()).toMatch(/sharing=locked/);
    // the op is named by the digest of its bytes, as the daemon computes it
    const fileOp = decode(types.definition, record.upstream[0].FrontendInputs.dockerfile).def[0];
    expect(handed.ops[1].inputs[0].digest).toBe(`sha256:${createHash('sha256').update(fileOp).digest('hex')}`);
  });
});

describe('a request over the daemon’s message limit', () => {
  test('a daemon that refuses the Solve carrying the rewritten file and a large .dockerignore (gRPC’s default 4 MiB before BuildKit v0.14): the original is built, and the step says so', async () => {
    const { record, exitCode, log } = await run({
      maxReceiveBytes: 4 << 20,
      caps: ['gateway.warnings'],
      trees: { 'local://dockerfile': { Dockerfile: large(0.5), 'Dockerfile.dockerignore': DOCKERIGNORE_4_MIB } },
    });
    expect(exitCode).toBe(0);
    // tried with the rewritten file, refused before the upstream ran; then the user's own file
    expect(record.upstream).toHaveLength(1);
    expect(record.upstream[0].FrontendInputs).toBeUndefined();
    expect(record.upstream[0].FrontendOpt.cmdline).toBe('dockerfile.v0');
    const [, note] = stepNames(record.reads);
    expect(note).toMatch(
      /^\[dfrewrite\] not rewritten: the rewritten Dockerfile makes a 4\.5 MiB request, over the daemon's 4 MiB message limit; building the original file$/,
    );
    expect(record.readFiles.map((r) => r.FilePath)).toContain('dfrewrite.txt');
    expect(log).toMatch(/building the original file/);
    // the findings are still told, as not applied, on that step
    expect(record.warnings.length).toBeGreaterThan(0);
    const short = Buffer.from(record.warnings[0].short).toString();
    expect(short).toMatch(
      /^cache-mount-sharing: .*set sharing=locked; not applied: the rewritten Dockerfile makes a .* request, over the daemon's 4 MiB message limit \(line 2\)$/,
    );
    expect(record.warnings[0].digest).toBe(decodeDefinition(record.reads[1].Definition).ops[1].inputs[0].digest);
    expect(record.returns).toHaveLength(1);
  });

  test('a request over 4 MiB (a large .dockerignore beside the file) to a daemon taking 16 MiB (v0.14 and later): rewritten; warnings follow the accepted Solve', async () => {
    const { record, exitCode } = await run({
      caps: ['gateway.warnings'],
      trees: {
        'local://dockerfile': { Dockerfile: large(0.5), 'Dockerfile.dockerignore': DOCKERIGNORE_4_MIB },
      },
    });
    expect(exitCode).toBe(0);
    const handed = decodeDefinition(record.upstream[0].FrontendInputs.dockerfile);
    const data = Buffer.from(handed.ops[0].file.actions[0].mkfile.data).toString();
    expect(data.startsWith(APT.replace('/var/cache/apt', '/var/cache/apt,sharing=locked'))).toBe(true);
    expect(record.warnings[0].digest).toBe(handed.ops[1].inputs[0].digest);
    expect(record.reads).toHaveLength(1);
  });
});

describe('an unknown rule id', () => {
  test('is ignored with a warning and a note in the step name; the other rules run', async () => {
    const { record, log } = await run(
      { caps: ['gateway.warnings'], trees: { 'local://dockerfile': { Dockerfile: APT } } },
      { 'build-arg:DFREWRITE_DISABLE': 'no-such-rule' },
    );
    const handed = decodeDefinition(record.upstream[0].FrontendInputs.dockerfile);
    expect(Buffer.from(handed.ops[0].file.actions[0].mkfile.data).toString()).toMatch(/sharing=locked/);
    const name = handed.metadata[handed.ops[1].inputs[0].digest].description['llb.customname'];
    expect(name).toMatch(/^\[dfrewrite\] 1 fix: cache-mount-sharing line 2.*; ignored unknown rule "no-such-rule"$/);
    expect(log).toMatch(/ignored unknown rule "no-such-rule"/);
    const shorts = record.warnings.map((w) => Buffer.from(w.short).toString());
    expect(shorts[0]).toMatch(
      /^dfrewrite: unknown rule "no-such-rule" in --disable\/DFREWRITE_DISABLE ignored; the other rules ran \(known: cache-mount-sharing, /,
    );
    expect(record.warnings[0].info).toBeUndefined();
  });

  test('next to a known one, which is still disabled', async () => {
    const { record } = await run(
      { trees: { 'local://dockerfile': { Dockerfile: APT } } },
      { cmdline: 'example/dfrewrite --disable=cache-mount-sharing,no-such-rule' },
    );
    const handed = decodeDefinition(record.upstream[0].FrontendInputs.dockerfile);
    expect(Buffer.from(handed.ops[0].file.actions[0].mkfile.data).toString()).not.toMatch(/sharing=locked/);
  });
});

describe('a result above the daemon’s limit', () => {
  test('BuildKit before v0.14 refuses a Return whose references carry a large Dockerfile’s source map: they go without it', async () => {
    const big = Buffer.alloc(5 << 20, 0x61);
    const { record, exitCode, log } = await run({
      maxReceiveBytes: 4 << 20,
      trees: { 'local://dockerfile': { Dockerfile: APT } },
      upstream: () => ({
        result: encode(types.result, {
          ref: { id: 'r1', def: big },
          metadata: { 'containerimage.config': Buffer.from('{}') },
        }),
      }),
    });
    expect(exitCode).toBe(0);
    expect(record.returns).toHaveLength(1);
    const returned = decode(types.returnRequest, record.returnBytes[0]!);
    expect(decode(types.result, returned.result)).toEqual({
      ref: { id: 'r1' },
      metadata: { 'containerimage.config': Buffer.from('{}') },
    });
    expect(log).toMatch(/Return refused for its size .*: returned without the references' definitions/);
  });

  test('the same for every platform’s reference', () => {
    const result = encode(types.result, {
      refs: {
        refs: { 'linux/amd64': { id: 'a', def: Buffer.from('x') }, 'linux/arm64': { id: 'b', def: Buffer.from('y') } },
      },
    });
    expect(decode(types.result, withoutRefDefinitions(result))).toEqual({
      refs: { refs: { 'linux/amd64': { id: 'a' }, 'linux/arm64': { id: 'b' } } },
    });
  });

  test('only the definitions go: undeclared fields stay, in place, byte for byte', () => {
    const field99 = [0x9a, 0x06, 0x01, 0x7a]; // in Ref: field 99, bytes "z"
    const attestations = [0x5a, 0x03, 0x61, 0x74, 0x74]; // Result field 11, not in proto/
    const metadata = [0x52, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76]; // {k: v}
    const id = [0x0a, 0x01, 0x61];
    const def = [0x12, 0x01, 0x78];
    const result = Buffer.from([0x1a, 10, ...id, ...def, ...field99, ...attestations, ...metadata]);
    expect(Buffer.from(withoutRefDefinitions(result))).toEqual(
      Buffer.from([0x1a, 7, ...id, ...field99, ...attestations, ...metadata]),
    );
  });
});
