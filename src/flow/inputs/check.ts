import { ProblemCodes } from '../../errors.js';
import { findCycles } from '../checks.js';
import type { FlowInput } from '../model.js';
import type { PathSegment, PendingProblem } from '../problems.js';
import { isExpression, isRecord } from '../schema/prop.js';
import { didYouMean } from '../suggest.js';
import { coerceInputValue, compileValidator } from './coerce.js';
import { DEPRECATED_INPUT_TYPES } from './schema.js';
import { parseIsoDuration } from '../duration.js';
import { parseIsoDateTime, timeToSeconds } from './temporal.js';

/**
 * Checks flow inputs beyond their shape: unique ids that do not clash when nested, deprecated
 * types, valid validators and bounds, SELECT choices, `dependsOn` references, and defaults that
 * the input itself would accept.
 */
export function checkInputDefinitions(
  inputs: readonly unknown[],
  path: PathSegment[],
  problems: PendingProblem[],
): void {
  const error = (
    at: PathSegment[],
    message: string,
    code: PendingProblem['code'] = ProblemCodes.INVALID_VALUE,
  ) => problems.push({ code, severity: 'error', message, path: at });
  const firstIndex = new Map<string, number>();
  const valid: Array<{ input: FlowInput; index: number }> = [];

  inputs.forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.id !== 'string') return;
    const input = raw as unknown as FlowInput;
    const at = [...path, index];
    const seen = firstIndex.get(input.id);
    if (seen !== undefined) {
      problems.push({
        code: ProblemCodes.DUPLICATE_ID,
        severity: 'error',
        message: `duplicate input id \`${input.id}\`: input ids must be unique`,
        path: [...at, 'id'],
        related: [...path, seen, 'id'],
      });
      return;
    }
    firstIndex.set(input.id, index);
    valid.push({ input, index });

    const renamed = DEPRECATED_INPUT_TYPES[input.type];
    if (renamed) {
      problems.push({
        code: ProblemCodes.DEPRECATED,
        severity: 'warning',
        message: `input type \`${input.type}\` is deprecated; use \`${renamed}\``,
        path: [...at, 'type'],
      });
    }
    if (typeof input.validator === 'string' && !compileValidator(input.validator)) {
      error([...at, 'validator'], `\`validator\` of input \`${input.id}\` is not a valid regular expression`);
    }
    checkBounds(input, at, error);
    if (input.type === 'SELECT' || input.type === 'MULTISELECT') {
      const values = input.values ?? raw.options;
      if ((values === undefined || values === null) && !input.expression) {
        problems.push({
          code: ProblemCodes.REQUIRED,
          severity: 'error',
          message: `input \`${input.id}\` of type ${input.type} needs \`values\` (or an \`expression\`)`,
          path: at,
        });
      } else if (Array.isArray(values) && values.length === 0) {
        error([...at, 'values'], `\`values\` of input \`${input.id}\` must hold at least one choice`);
      }
    }
    checkDefaults(input, raw, at, error);
  });

  // Dotted ids nest, so `a` and `a.b` would overwrite each other.
  for (const { input, index } of valid) {
    const parts = input.id.split('.');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      if (firstIndex.has(prefix)) {
        error(
          [...path, index, 'id'],
          `input \`${input.id}\` nests under input \`${prefix}\`, so \`inputs.${prefix}\` could not hold both`,
        );
      }
    }
  }

  const edges = new Map<string, string[]>();
  for (const { input, index } of valid) {
    const deps = input.dependsOn?.inputs;
    if (!Array.isArray(deps)) continue;
    deps.forEach((dep, j) => {
      if (typeof dep !== 'string') return;
      if (!firstIndex.has(dep) || dep === input.id) {
        problems.push({
          code: ProblemCodes.UNKNOWN_REFERENCE,
          severity: 'error',
          message:
            dep === input.id
              ? `input \`${input.id}\` depends on itself`
              : `\`dependsOn.inputs\` of input \`${input.id}\` names unknown input \`${dep}\`${didYouMean(
                  dep,
                  [...firstIndex.keys()].filter((k) => k !== input.id),
                )}`,
          path: [...path, index, 'dependsOn', 'inputs', j],
        });
      }
    });
    edges.set(
      input.id,
      deps.filter((d): d is string => typeof d === 'string' && firstIndex.has(d) && d !== input.id),
    );
  }
  for (const cycle of findCycles(edges)) {
    problems.push({
      code: ProblemCodes.DEPENDENCY_CYCLE,
      severity: 'error',
      message: `inputs depend on each other in a cycle: ${[...cycle, cycle[0]].map((id) => `\`${id}\``).join(' → ')}`,
      path: [...path, firstIndex.get(cycle[0]!)!, 'dependsOn'],
    });
  }
}

function checkBounds(
  input: FlowInput,
  at: PathSegment[],
  error: (at: PathSegment[], message: string) => void,
): void {
  const [lowKey, highKey] = ['DATE', 'DATETIME', 'TIME'].includes(input.type)
    ? (['after', 'before'] as const)
    : (['min', 'max'] as const);
  const bounds: Array<number | undefined> = [lowKey, highKey].map((key) => {
    const value = input[key];
    if (value === undefined || value === null) return undefined;
    const parsed = comparable(input, value);
    if ('error' in parsed) error([...at, key], `\`${key}\` of input \`${input.id}\` ${parsed.error}`);
    return 'value' in parsed ? parsed.value : undefined;
  });
  const [low, high] = bounds;
  if (low !== undefined && high !== undefined && low > high) {
    error(
      [...at, lowKey],
      `\`${lowKey}\` of input \`${input.id}\` (${String(input[lowKey])}) is ${lowKey === 'min' ? 'greater' : 'later'} than \`${highKey}\` (${String(input[highKey])})`,
    );
  }
}

/** A bound as a number to compare: ms for durations and instants, days for dates, s for times. */
function comparable(input: FlowInput, value: unknown): { value: number } | { error: string } {
  const parsed = coerceInputValue({ id: input.id, type: input.type }, value);
  if ('error' in parsed) return parsed;
  const v = parsed.value;
  switch (input.type) {
    case 'DURATION':
      return { value: parseIsoDuration(v as string)! };
    case 'DATE':
      return { value: Date.parse(v as string) };
    case 'DATETIME':
      return { value: parseIsoDateTime(v as string)!.epochMs };
    case 'TIME':
      return { value: timeToSeconds(v as string) };
    default:
      return typeof v === 'number' ? { value: v } : { error: 'is not a number' };
  }
}

function checkDefaults(
  input: FlowInput,
  raw: Record<string, unknown>,
  at: PathSegment[],
  error: (at: PathSegment[], message: string) => void,
): void {
  const defaults = raw.defaults;
  if (defaults === undefined || defaults === null || isExpression(defaults)) return;
  if (input.type === 'FILE') return; // a FILE default names a stored file; checked when it is read
  if ((input.type === 'SELECT' || input.type === 'MULTISELECT') && input.expression) return;
  const parsed = coerceInputValue(
    { ...input, values: input.values ?? (raw.options as unknown[] | undefined) },
    defaults,
  );
  if ('error' in parsed) error([...at, 'defaults'], `\`defaults\` of input \`${input.id}\` ${parsed.error}`);
}
