// Which BuildKit the e2e builds run on. The builder decides, not the daemon: buildx's
// docker-container driver runs its own BuildKit (any version) beside a current daemon.

/** BuildKit's minor version (BuildKit is 0.x), or undefined when nothing says. */
export type BuildkitMinor = number | undefined;

/**
 * The minor version `docker buildx inspect` prints for the builder's node (`BuildKit version: v0.25.0`,
 * `Buildkit: v0.8.3` before buildx 0.11). Undefined without one, or for the placeholder a
 * distribution's build prints (Debian's docker driver: `v0.0.0+unknown`).
 */
export function builderBuildkitMinor(inspectOutput: string): BuildkitMinor {
  const found = /^\s*Build[Kk]it(?: version)?:\s*v?(\d+)\.(\d+)\.\d+/m.exec(inspectOutput);
  if (!found || (found[1] === '0' && found[2] === '0')) return undefined;
  return found[1] === '0' ? Number(found[2]) : Number.POSITIVE_INFINITY;
}

/** The builder's BuildKit, else the daemon's own: Docker 20.10 ships BuildKit 0.8 (measured). */
export function buildkitMinor(inspectOutput: string | undefined, daemonVersion: string): BuildkitMinor {
  const fromBuilder = inspectOutput === undefined ? undefined : builderBuildkitMinor(inspectOutput);
  if (fromBuilder !== undefined) return fromBuilder;
  return daemonVersion.startsWith('20.') ? 8 : undefined;
}

/**
 * Whether BuildKit is 0.`minor` or later. Unknown (a daemon after 20.10 whose builder reports no
 * version, as Debian's Docker 28.5 does) counts as current: the engines measured are 0.8 and ~0.25.
 */
export const atLeast = (known: BuildkitMinor, minor: number): boolean => known === undefined || known >= minor;
