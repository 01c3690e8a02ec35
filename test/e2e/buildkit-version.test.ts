// The e2e tests gate BuildKit features on the builder's version (buildx inspect), not the daemon's.
import { describe, expect, it } from 'vitest';
import { atLeast, buildkitMinor, builderBuildkitMinor } from './buildkit-version.js';

const inspect = (line: string) =>
  `Name:   ci\nDriver: docker-container\n\nNodes:\nName: ci0\nStatus: running\n${line}\n`;

describe('the builder’s BuildKit version', () => {
  it('is read from buildx inspect, in its current and older wording', () => {
    expect(builderBuildkitMinor(inspect('BuildKit version: v0.8.3'))).toBe(8);
    expect(builderBuildkitMinor(inspect('Buildkit:         v0.33.0'))).toBe(33);
    expect(builderBuildkitMinor(inspect('BuildKit version:\tv0.25.1-docker'))).toBe(25);
  });

  it('is unknown for a placeholder or without a line', () => {
    expect(builderBuildkitMinor(inspect('BuildKit version: v0.0.0+unknown'))).toBeUndefined();
    expect(builderBuildkitMinor(inspect(''))).toBeUndefined();
  });

  it('wins over the daemon’s version: a BuildKit 0.8 container beside Docker 28', () => {
    expect(buildkitMinor(inspect('BuildKit version: v0.8.3'), '28.5.2')).toBe(8);
    expect(buildkitMinor(inspect('BuildKit version: v0.33.0'), '20.10.24+dfsg1')).toBe(33);
  });

  it('falls back to the daemon: Docker 20.10 (no buildx) is BuildKit 0.8; a later one is unknown', () => {
    expect(buildkitMinor(undefined, '20.10.24+dfsg1')).toBe(8);
    expect(buildkitMinor(inspect('BuildKit version: v0.0.0+unknown'), '28.5.2+dfsg4')).toBeUndefined();
  });

  it('counts unknown as current', () => {
    expect(atLeast(undefined, 17)).toBe(true);
    expect(atLeast(8, 9)).toBe(false);
    expect(atLeast(9, 9)).toBe(true);
  });
});
