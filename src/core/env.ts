import { DockerfileParser, type Env, type Onbuild } from 'dockerfile-ast';
import { LineIndex } from './source.js';

/** One `NAME=value` (or legacy `NAME value`) of an ENV instruction, located in the source. */
export interface EnvProperty {
  name: string;
  /** The value with quotes and escapes removed. */
  value: string | null;
  start: number;
  end: number;
  valueStart: number | undefined;
  valueEnd: number | undefined;
  operatorStart: number | undefined;
}

/**
 * The properties of the ENV instruction (or `ONBUILD ENV` trigger) at `[start, end)`. ENV values
 * have the whole of Dockerfile quoting (both forms, quotes, escapes, the escape directive), which
 * dockerfile-ast reads well: it parses just this instruction, so its cost stays linear in the file.
 */
export function envProperties(source: string, start: number, end: number, escape: string): EnvProperty[] {
  const prefix = escape === '\\' ? '' : `# escape=${escape}\n`;
  const snippet = prefix + source.slice(start, end);
  const parsed = DockerfileParser.parse(snippet).getInstructions()[0];
  const instruction = parsed?.getKeyword() === 'ONBUILD' ? (parsed as Onbuild).getTriggerInstruction() : parsed;
  if (!instruction || instruction.getKeyword() !== 'ENV') return [];
  const lines = new LineIndex(snippet);
  const at = (position: { line: number; character: number }): number => start + lines.offsetAt(position) - prefix.length;
  return (instruction as Env).getProperties().map((property) => {
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
