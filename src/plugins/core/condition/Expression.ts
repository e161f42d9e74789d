import { defineCondition, p } from '../../api.js';
import { conditionType } from './shared.js';

export default defineCondition({
  type: conditionType('Expression'),
  legacyNames: [
    'io.kestra.core.models.conditions.types.VariableCondition',
    'io.kestra.plugin.core.condition.ExpressionCondition',
  ],
  title: 'When an expression holds',
  description:
    'Holds unless the expression renders to an empty or blank string or to `false`. It can read `trigger` (e.g. the webhook body).',
  properties: {
    expression: p.string().required().describe("An expression, e.g. `{{ trigger.body.hello == 'world' }}`."),
  },
  examples: [
    {
      title: 'Start from a webhook only when its body says hello',
      code: `id: webhook_hello
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body }}"
triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: 4wjtkzwVGBM9yKnjm3yv8r
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ trigger.body.hello == 'world' }}"`,
    },
  ],
});
