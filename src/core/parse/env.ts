import { dockerfileAst } from './dockerfile-ast.js';
import { LineIndex } from './source.js';

/** One `NAME[=value]` of an ARG or ENV instruction (or legacy `ENV NAME value`), located in the source. */
export interface NameValue {
  name: string;
  /** The value with quotes and escapes removed; null when declared without one. */
  value: string | null;
  /** Offsets of the whole `NAME=value`. */
  start: number;
  end: number;
  /** Offsets of the value as written, quotes included; undefined without a value. */
  valueStart: number | undefined;
  valueEnd: number | undefined;
  /** Offset of the `=` before the value; undefined without one (`ARG NAME`, legacy `ENV NAME value`). */
  operatorStart: number | undefined;
}

/**
 * The properties of the ENV instruction (or `ONBUILD ENV` trigger) at `[start, end)`. ENV values
 * have the whole of Dockerfile quoting (both forms, quotes, escapes, the escape directive), which
 * dockerfile-ast reads well: it parses just this instruction, so its cost stays linear in the file.
 */
export function envProperties(source: string, start: number, end: number, escape: string): NameValue[] {
  const prefix = escape === '\\' ? '' : `# escape=${escape}\n`;
  const snippet = prefix + source.slice(start, end);
  const ast = dockerfileAst();
  const parsed = ast.DockerfileParser.parse(snippet).getInstructions()[0];
  // dockerfile-ast makes each instruction an instance of its keyword's class
  const instruction = parsed instanceof ast.Onbuild ? parsed.getTriggerInstruction() : parsed;
  if (!(instruction instanceof ast.Env)) return [];
  const lines = new LineIndex(snippet);
  const at = (position: { line: number; character: number }): number =>
    start + lines.offsetAt(position) - prefix.length;
  return instruction.getProperties().map((property) => {
    const range = property.getRange();
    const valueRange = property.getValueRange();
    const operator = property.getAssignmentOperatorRange();
    return {
      name: property.getName(),
      value: property.getValue(),
      start: at(range.start),
      end: at(range.end),
      valueStart: valueRange ? at(valueRange.start) : undefined,
      valueEnd: valueRange ? at(valueRange.end) : undefined,
      operatorStart: operator ? at(operator.start) : undefined,
    };
  });
}
