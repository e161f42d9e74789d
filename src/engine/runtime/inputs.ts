import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { TemplateEngine } from '../../expr/index.js';
import { coerceInputValues } from '../../flow/index.js';
import type { Flow } from '../../flow/model.js';

/**
 * Checks and types raw input values for a flow (defaults applied, expressions in defaults
 * rendered). Throws WH_INPUT_INVALID listing every problem; no execution is created then.
 */
export function prepareInputs(
  flow: Flow,
  raw: Readonly<Record<string, unknown>>,
  engine: TemplateEngine,
): Record<string, unknown> {
  const result = coerceInputValues(flow.inputs, raw, {
    render: (template, context) => engine.renderTyped(template, context),
  });
  if (!result.ok) {
    const lines = result.problems.map((p) => `  - ${p.message}`).join('\n');
    throw new WindhoverError(
      ErrorCodes.INPUT_INVALID,
      `Invalid inputs for ${flow.namespace}.${flow.id}:\n${lines}`,
      result.problems,
    );
  }
  return result.values;
}
