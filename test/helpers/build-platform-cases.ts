import type { RuleCase } from './rule-table.js';

/** What build-on-build-platform's message says of a stage it moves. */
export const MOVED = 'moved to the build platform (FROM --platform=$BUILDPLATFORM)';

/** A build-on-build-platform case with one blocker: reported on the stage's FROM line, never changed. */
export const blocked = (name: string, blocker: string, input: string, line = 1): RuleCase => ({
  name,
  input,
  findings: [{ line, fixed: false, message: `not moved to the build platform: ${blocker}` }],
});
