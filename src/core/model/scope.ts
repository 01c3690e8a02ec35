/**
 * Variables (ENV or ARG) as they stand at each instruction of a stage, built in one pass:
 * each name keeps its assignments in order, so a look-up is a binary search rather than a copy of
 * the whole scope at every instruction. A stage built `FROM` another stage sees that stage's
 * final values.
 */
export class Scope {
  private readonly assignments = new Map<string, { at: number; value: string | null }[]>();

  constructor(private readonly parent?: Scope) {}

  set(name: string, value: string | null, at: number): void {
    let list = this.assignments.get(name);
    if (!list) this.assignments.set(name, (list = []));
    list.push({ at, value });
  }

  /**
   * The value of `name` before instruction number `at`: a string, null when declared without a
   * value, undefined when not declared at all.
   */
  get(name: string, at = Number.POSITIVE_INFINITY): string | null | undefined {
    const list = this.assignments.get(name);
    if (list) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.at < at) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) return list[lo - 1]!.value;
    }
    return this.parent?.get(name);
  }
}
