import { UNDEFINED } from '../../scope.js';
import { isList, isMap, numberOf, typeName } from '../../values.js';
import { defineFunction } from '../define.js';
import { fail } from '../filters/support.js';
import type { CallContext, FunctionDefinition } from '../types.js';

/** Most items `range()` may make (Kestra bounds Pebble's range the same way). */
const MAX_RANGE = 1_000_000;

function range(start: unknown, end: unknown, increment: unknown): unknown[] {
  const stepValue = increment === null || increment === undefined ? 1 : numberOf(increment);
  if (stepValue === undefined)
    return fail(`\`range()\` needs a number as \`increment\`, got ${typeName(increment)}`);
  const step = Math.trunc(stepValue);
  if (step === 0) fail('`range()` needs an `increment` other than 0');
  const from = numberOf(start);
  const to = numberOf(end);
  if (from !== undefined && to !== undefined) return steps(Math.trunc(from), Math.trunc(to), step, (i) => i);
  if (typeof start === 'string' && typeof end === 'string' && start.length === 1 && end.length === 1) {
    return steps(start.charCodeAt(0), end.charCodeAt(0), step, (i) => String.fromCharCode(i));
  }
  return fail(
    `\`range()\` needs two numbers or two single characters, got ${typeName(start)} and ${typeName(end)}`,
  );
}

function steps<T>(from: number, to: number, step: number, item: (i: number) => T): T[] {
  const size = Math.floor((to - from) / step) + 1;
  if (size > MAX_RANGE)
    fail(`\`range()\` cannot make more than ${MAX_RANGE} items, this call would make ${size}`);
  const out: T[] = [];
  for (let i = 0; i < size; i++) out.push(item(from + i * step));
  return out;
}

/** Pebble's `max()`/`min()`: numbers compared as Java does; nulls are skipped once a value is held. */
function extreme(name: 'max' | 'min', args: readonly unknown[]): unknown {
  let best: unknown = null;
  for (const candidate of args) {
    if (best === null || best === undefined) {
      best = candidate;
      continue;
    }
    if (candidate === null || candidate === undefined) continue;
    const a = numberOf(candidate);
    const b = numberOf(best);
    if (a === undefined || b === undefined) {
      fail(`\`${name}()\` needs numbers, got ${typeName(a === undefined ? candidate : best)}`);
    }
    if (name === 'max' ? a > b : a < b) best = candidate;
  }
  return best ?? null;
}

function variable(call: CallContext, name: string): unknown {
  const value = call.scope.lookup(name);
  return value === UNDEFINED ? undefined : value;
}

/**
 * Marks the `taskrun` variable of a run whose `value` is not a loop level of its own (set false
 * by the engine; absent: it is one, as in Kestra).
 */
export const OWN_LOOP_VALUE: unique symbol = Symbol('windhover.ownLoopValue');

/** Kestra's `currentEachOutput(outputs.task)`: the output of the current iteration of the loops. */
function currentEachOutput(outputs: unknown, call: CallContext): unknown {
  if (!isMap(outputs))
    return fail(
      `\`currentEachOutput()\` needs the outputs of a task in a loop (a map), got ${typeName(outputs)}`,
    );
  let current: Record<string, unknown> = outputs;
  const parents = variable(call, 'parents');
  if (isList(parents)) {
    for (let i = parents.length - 1; i >= 0; i--) {
      const parent = parents[i];
      const taskrun = isMap(parent) ? parent.taskrun : undefined;
      if (!isMap(taskrun)) continue;
      const next = current[String(taskrun.value)];
      if (!isMap(next)) fail('`currentEachOutput()`: no outputs for the current task runs path');
      current = next;
    }
  }
  const taskrun = variable(call, 'taskrun');
  if (!isMap(taskrun))
    return fail('`currentEachOutput()` can only be used inside a loop (there is no `taskrun`)');
  // A run under a ForEach's child carries its value without being a loop level of its own.
  if ((taskrun as { [OWN_LOOP_VALUE]?: boolean })[OWN_LOOP_VALUE] === false) return current;
  return current[String(taskrun.value)] ?? null;
}

/** Pebble's `range`, `max`, `min` and Kestra's context functions. */
export const CORE_FUNCTIONS: readonly FunctionDefinition[] = [
  defineFunction({
    name: 'range',
    description: 'The numbers (or characters) from `start` to `end`, both included, by `increment` (1).',
    params: ['start', 'end', 'increment'],
    required: 2,
    apply: ([start, end, increment]) => range(start, end, increment),
  }),
  defineFunction({
    name: 'max',
    description: 'The largest of its arguments.',
    params: [],
    variadic: true,
    apply: (args) => extreme('max', args),
  }),
  defineFunction({
    name: 'min',
    description: 'The smallest of its arguments.',
    params: [],
    variadic: true,
    apply: (args) => extreme('min', args),
  }),
  defineFunction({
    name: 'printContext',
    description: 'Every variable visible here, as a map (for debugging).',
    params: [],
    apply: (_args, call) => call.scope.variables(),
  }),
  defineFunction({
    name: 'fetchContext',
    description: 'Every variable visible here, as a map (same as `printContext()`).',
    params: [],
    apply: (_args, call) => call.scope.variables(),
  }),
  defineFunction({
    name: 'currentEachOutput',
    description: 'The output of the current iteration, from the outputs of a task inside ForEach loops.',
    params: ['outputs'],
    required: 1,
    apply: ([outputs], call) => currentEachOutput(outputs, call),
  }),
];
