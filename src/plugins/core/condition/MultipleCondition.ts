import { defineCondition, isRecord, p } from '../../api.js';
import { checkTimeWindow, timeWindowProp } from '../trigger/shared.js';
import { checkNonEmptyConditions, conditionType } from './shared.js';

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

export default defineCondition({
  type: conditionType('MultipleCondition'),
  legacyNames: ['io.kestra.core.models.conditions.types.MultipleCondition'],
  title: 'Several upstream conditions within a time window',
  description:
    'Holds once every named condition has held for some upstream execution within the time window (one day by default). Superseded by `preconditions` of the Flow trigger.',
  properties: {
    id: p
      .string({
        dynamic: false,
        pattern: ID_PATTERN,
        patternHint: 'letters, digits, `_` and `-`, starting with a letter or digit',
      })
      .required()
      .describe('An id unique in the flow; it keys the stored results of the window.'),
    conditions: p
      .pluginMap('condition')
      .required()
      .describe('The conditions to wait for, by name; each name keeps its own result.'),
    timeWindow: timeWindowProp,
    resetOnSuccess: p
      .boolean({ dynamic: false })
      .default(true)
      .describe(
        'Forget the results once all conditions have held, so they must all hold again to fire again in the same window.',
      ),
    window: p.duration({ dynamic: false }).deprecated('timeWindow.window'),
    windowAdvance: p.duration({ dynamic: false }).deprecated('timeWindow.windowAdvance'),
  },
  check: (props, report) => {
    checkNonEmptyConditions(props, 'conditions', report);
    checkTimeWindow(props.timeWindow, ['timeWindow'], report);
    if (isRecord(props.timeWindow)) {
      for (const key of ['window', 'windowAdvance']) {
        if (props[key] == null) continue;
        report([key], `give \`timeWindow.${key}\` or the deprecated \`${key}\`, not both`, { atKey: true });
      }
    }
  },
  examples: [
    {
      title: 'Start once both `flow_a` and `flow_b` succeeded within 12 hours',
      code: `id: after_a_and_b
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Both upstream flows are done.
triggers:
  - id: both_done
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - SUCCESS
      - type: io.kestra.plugin.core.condition.MultipleCondition
        id: a_and_b
        timeWindow:
          window: PT12H
        conditions:
          flow_a:
            type: io.kestra.plugin.core.condition.ExecutionFlow
            namespace: company.team
            flowId: flow_a
          flow_b:
            type: io.kestra.plugin.core.condition.ExecutionFlow
            namespace: company.team
            flowId: flow_b`,
    },
  ],
});
