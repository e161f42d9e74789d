import { defineCondition, p } from '../../api.js';
import { conditionType, legacyConditionNames } from './shared.js';

export default defineCondition({
  type: conditionType('ExecutionNamespace'),
  legacyNames: legacyConditionNames('ExecutionNamespace'),
  title: 'Execution in a namespace',
  description:
    'Holds when the namespace of the upstream execution equals, starts with or ends with the given namespace.',
  properties: {
    namespace: p
      .string({ dynamic: false })
      .required()
      .describe('The namespace to compare the execution namespace with.'),
    comparison: p
      .enum(['EQUALS', 'PREFIX', 'SUFFIX'], { dynamic: false })
      .describe('How to compare; `EQUALS` unless `prefix` is true.'),
    prefix: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Shortcut for `comparison: PREFIX`; used only when `comparison` is not set.'),
  },
  check: (props, report) => {
    if (props.comparison != null && props.prefix === true) {
      report(['prefix'], '`prefix` is ignored when `comparison` is set', {
        severity: 'warning',
        atKey: true,
      });
    }
  },
  examples: [
    {
      title: 'Start when any flow under `company.engineering` fails',
      code: `id: engineering_alerts
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.namespace }}.{{ trigger.flowId }} failed"
triggers:
  - id: failures
    type: io.kestra.plugin.core.trigger.Flow
    states:
      - FAILED
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionNamespace
        namespace: company.engineering
        comparison: PREFIX`,
    },
  ],
});
