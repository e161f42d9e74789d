import { defineFunction } from '../define.js';
import { CallError } from '../types.js';
import type { FunctionDefinition } from '../types.js';

function template(args: unknown[], name: string): string {
  const [value] = args;
  if (typeof value !== 'string') {
    throw new CallError(
      `\`${name}()\` needs a template string, got ${value === null || value === undefined ? 'nothing' : typeof value}`,
    );
  }
  return value;
}

/** `render()` and `renderOnce()`: render a string (typically `vars.x`) against the current context. */
export const RENDER_FUNCTIONS: readonly FunctionDefinition[] = [
  defineFunction({
    name: 'render',
    description:
      'Renders a string as a template against the current context, again and again until it stops changing (unless `recursive` is false).',
    params: ['template', 'recursive'],
    required: 1,
    apply: (args, call) => {
      const recursive = args[1] ?? true;
      if (typeof recursive !== 'boolean') throw new CallError('`recursive` must be `true` or `false`');
      return call.render(template(args, 'render'), recursive);
    },
  }),
  defineFunction({
    name: 'renderOnce',
    description: 'Renders a string as a template against the current context, once.',
    params: ['template'],
    required: 1,
    apply: (args, call) => call.render(template(args, 'renderOnce'), false),
  }),
];
