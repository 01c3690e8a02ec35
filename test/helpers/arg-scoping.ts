/**
 * What BuildKit gives each stage of test/e2e/fixtures/arg-scoping for its ARGs, measured with
 * `--platform linux/arm64` on Docker 20.10.24 (BuildKit 0.8) and Docker 28.5.2 (buildx 0.29), and
 * what the model says (docs/arg-scoping.md). The e2e test checks the engine columns on the engine it
 * runs on; test/core/arg-scoping.test.ts checks the model column.
 */
export interface ArgScopingRow {
  file: 'Dockerfile' | 'platform.Dockerfile';
  /** The stage whose last RUN prints it, or `<stage> mount` for the target a RUN's cache mount got. */
  stage: string;
  name: string;
  /** Printed without --build-arg: BuildKit 0.8, and Docker 28.5. */
  buildkit08: string;
  current: string;
  /**
   * Where the two differ: the BuildKit minor version (0.x) from which `current` is printed, read in
   * BuildKit's sources (docs/arg-scoping.md); the e2e test picks the value for the builder's version.
   */
  since?: number;
  /** Printed with `--build-arg NAME=cli` for every name (both engines; Dockerfile only). */
  overridden?: string;
  /** variableAt (or mountTarget for a mount): a value, null (declared without one), undefined (not set). */
  model: string | null | undefined;
}

const stageRows = (stage: string): ArgScopingRow[] => [
  {
    file: 'Dockerfile',
    stage,
    name: 'GLOBAL_DEFAULT',
    buildkit08: 'global',
    current: 'global',
    overridden: 'cli',
    model: 'global',
  },
  { file: 'Dockerfile', stage, name: 'GLOBAL_EMPTY', buildkit08: '', current: '', overridden: 'cli', model: null },
  {
    file: 'Dockerfile',
    stage,
    name: 'GLOBAL_REDEFINED',
    buildkit08: 'stage',
    current: 'stage',
    overridden: 'cli',
    model: 'stage',
  },
  { file: 'Dockerfile', stage, name: 'GLOBAL_UNUSED', buildkit08: '', current: '', overridden: '', model: undefined },
  {
    file: 'Dockerfile',
    stage,
    name: 'STAGE_DEFAULT',
    buildkit08: 'parent',
    current: 'parent',
    overridden: 'cli',
    model: 'parent',
  },
  { file: 'Dockerfile', stage, name: 'STAGE_EMPTY', buildkit08: '', current: '', overridden: 'cli', model: null },
];

export const ARG_SCOPING: ArgScopingRow[] = [
  ...stageRows('parent'),
  // built FROM parent, declaring nothing: parent's values, on both engines
  ...stageRows('child'),
  // a bare ARG takes the global default over the parent's value, else keeps the parent's value
  {
    file: 'Dockerfile',
    stage: 'child-redeclares',
    name: 'STAGE_DEFAULT',
    buildkit08: 'parent',
    current: 'parent',
    overridden: 'cli',
    model: 'parent',
  },
  {
    file: 'Dockerfile',
    stage: 'child-redeclares',
    name: 'GLOBAL_REDEFINED',
    buildkit08: 'global',
    current: 'global',
    overridden: 'cli',
    model: 'global',
  },
  {
    file: 'Dockerfile',
    stage: 'platform-parent',
    name: 'TARGETARCH',
    buildkit08: 'arm64',
    current: 'arm64',
    model: null,
  },
  {
    file: 'Dockerfile',
    stage: 'platform-child',
    name: 'TARGETARCH',
    buildkit08: 'arm64',
    current: 'arm64',
    model: null,
  },
  // BuildKit 0.8 substitutes no variable in --mount options; 0.9 and later do (the model's view)
  {
    file: 'Dockerfile',
    stage: 'parent mount',
    name: 'target',
    buildkit08: '/pcache/$GLOBAL_DEFAULT',
    current: '/pcache/global',
    since: 9,
    model: '/pcache/global',
  },
  {
    file: 'Dockerfile',
    stage: 'child mount',
    name: 'target',
    buildkit08: '/ccache/$STAGE_DEFAULT',
    current: '/ccache/parent',
    since: 9,
    model: '/ccache/parent',
  },
  // a global default beats BuildKit's value; a global ARG without one blanks it before BuildKit 0.17
  {
    file: 'platform.Dockerfile',
    stage: 'global-default',
    name: 'TARGETARCH',
    buildkit08: 'amd64',
    current: 'amd64',
    model: 'amd64',
  },
  {
    file: 'platform.Dockerfile',
    stage: 'global-default',
    name: 'BUILDARCH',
    buildkit08: '',
    current: 'amd64',
    since: 17,
    model: null,
  },
];
