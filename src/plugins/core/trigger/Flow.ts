import { defineTrigger, isRecord, p } from '../../api.js';
import type { ReportFn } from '../../api.js';
import { checkSystemLabels, executionLabelsProp } from '../task-props.js';
import { checkTimeWindow, statesProp, timeOfDay, timeWindowProp, triggerName } from './shared.js';

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const ID_HINT = 'letters, digits, `_` and `-`, starting with a letter or digit';

const FILTER_TYPES = [
  'EQUAL_TO',
  'NOT_EQUAL_TO',
  'IN',
  'NOT_IN',
  'IS_TRUE',
  'IS_FALSE',
  'IS_NULL',
  'IS_NOT_NULL',
  'STARTS_WITH',
  'ENDS_WITH',
  'REGEX',
  'CONTAINS',
] as const;
/** Filter types compared with a list (`values`); the others take one `value`. */
const LIST_FILTER_TYPES: readonly string[] = ['IN', 'NOT_IN'];

const upstreamFlowProp = p.object({
  namespace: p.string({ dynamic: false }).required().describe('The namespace of the upstream flow.'),
  flowId: p
    .string({ dynamic: false })
    .describe('The id of the upstream flow; any flow of the namespace when not set.'),
  states: statesProp().describe('The states the upstream execution must be in.'),
  labels: p
    .map(p.string({ dynamic: false }), { dynamic: false })
    .describe('Labels the upstream execution must carry.'),
});

const filterProp = p.object({
  field: p
    .enum(['FLOW_ID', 'NAMESPACE', 'STATE', 'EXPRESSION'], { dynamic: false })
    .required()
    .describe(
      'What to test: a property of the upstream execution, or `EXPRESSION` (then `value` is rendered).',
    ),
  type: p.enum(FILTER_TYPES, { dynamic: false }).required().describe('How to compare.'),
  value: p
    .string({ dynamic: false })
    .describe('The value to compare with (all types but `IN` and `NOT_IN`).'),
  values: p
    .list(p.string({ dynamic: false }), { dynamic: false })
    .describe('The values for `IN` and `NOT_IN`.'),
});

const executionFilterProp = p.object({
  id: p.string({ dynamic: false }).required().describe('An id for this group of filters.'),
  operand: p
    .enum(['AND', 'OR'], { dynamic: false })
    .default('AND')
    .describe('Whether all filters (`AND`) or any of them (`OR`) must match.'),
  filters: p.list(filterProp, { dynamic: false, min: 1 }).required().describe('The filters.'),
});

const preconditionsProp = p
  .object({
    id: p
      .string({ dynamic: false, pattern: ID_PATTERN, patternHint: ID_HINT })
      .required()
      .describe('An id unique in the flow; it keys the stored results of the window.'),
    flows: p
      .list(upstreamFlowProp, { dynamic: false })
      .describe('Upstream flows whose executions must all have happened within the window.'),
    where: p
      .list(executionFilterProp, { dynamic: false })
      .describe('Filters on upstream executions, each of which must have matched within the window.'),
    timeWindow: timeWindowProp,
    resetOnSuccess: p
      .boolean({ dynamic: false })
      .default(true)
      .describe('Forget the results once the trigger fired, so all preconditions must be met again.'),
  })
  .describe(
    'Conditions on upstream executions that must all be met within a time window (one day by default). Not rendered: no expressions.',
  );

const dependencyProp = p.object({
  namespace: p.string({ dynamic: false }).describe('The namespace of the upstream flow; any when not set.'),
  flowId: p.string({ dynamic: false }).describe('The id of the upstream flow; any when not set.'),
  states: statesProp().describe('The states the upstream execution must be in.'),
  labels: p
    .map(p.string({ dynamic: false }), { dynamic: false })
    .describe('Labels the upstream execution must carry.'),
  when: p
    .string()
    .describe(
      'An expression rendered with the upstream execution; the dependency is met only when it is truthy.',
    ),
});

/** Kestra's `Window` of `dependsOn`: its type follows from the fields set. */
const windowProp = p
  .object({
    deadline: timeOfDay('Daily cut-off: the dependencies must be met between midnight and this time.'),
    from: timeOfDay('Start of a daily time window (with `to`).'),
    to: timeOfDay('End of a daily time window (with `from`).'),
    every: p
      .duration({ dynamic: false })
      .describe('Length of fixed windows from midnight; one day by default.'),
    offset: p.duration({ dynamic: false }).describe('Shift of the fixed windows from midnight.'),
    lookback: p
      .duration({ dynamic: false })
      .describe('A sliding window: the dependencies met in this past duration.'),
    timezone: p
      .string({ dynamic: false })
      .describe('Time zone of the daily times; the server zone when not set.'),
    fireOnce: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Forget the results once the trigger fired, so the dependencies must be met again.'),
  })
  .describe('The time window the `dependsOn` dependencies must be met in; one day from midnight by default.');

/** Which `window` fields exclude each other (Kestra's WindowValidation). */
const WINDOW_GROUPS: ReadonlyArray<readonly string[]> = [
  ['deadline'],
  ['from', 'to'],
  ['lookback'],
  ['every', 'offset'],
];

export default defineTrigger({
  type: 'io.kestra.plugin.core.trigger.Flow',
  legacyNames: ['io.kestra.core.models.triggers.types.Flow'],
  title: 'Run when other flows end',
  description:
    'Starts an execution when executions of other flows change state (by default: end, or pause), filtered by `preconditions` and `conditions`. ' +
    'The upstream execution is read as `trigger.executionId`, `trigger.namespace`, `trigger.flowId`, `trigger.state` and its flow outputs as `trigger.outputs`.',
  properties: {
    inputs: p
      .map(p.any())
      .describe('Inputs given to each execution; values may read the upstream outputs as `trigger.outputs`.'),
    states: statesProp()
      .default(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED', 'PAUSED'])
      .describe(
        'The upstream state changes to react to; by default the terminal states and PAUSED. CREATED never reaches a Flow trigger.',
      ),
    preconditions: preconditionsProp,
    dependsOn: p
      .list(dependencyProp, { dynamic: false })
      .describe(
        "Dependencies on upstream executions (Kestra's newer form of `preconditions`), met within `window`.",
      ),
    window: windowProp,
    mode: p
      .enum(['ALL', 'ANY', 'AT_LEAST'], { dynamic: false })
      .default('ALL')
      .describe('How many `dependsOn` dependencies must be met: all, any, or at least `minSatisfied`.'),
    minSatisfied: p
      .integer({ min: 1, dynamic: false })
      .describe('With `mode: AT_LEAST`, how many dependencies must be met.'),
    labels: executionLabelsProp().describe(
      'Labels given to each execution: a map `key: value`, or a list of `{key, value}`.',
    ),
  },
  outputs: {
    executionId: { type: 'string', description: 'The id of the upstream execution: `trigger.executionId`.' },
    executionLabels: { type: 'object', description: 'Its labels: `trigger.executionLabels`.' },
    namespace: { type: 'string', description: 'Its namespace: `trigger.namespace`.' },
    flowId: { type: 'string', description: 'Its flow id: `trigger.flowId`.' },
    flowRevision: { type: 'integer', description: 'Its flow revision: `trigger.flowRevision`.' },
    state: { type: 'string', description: 'Its state: `trigger.state`.' },
    outputs: { type: 'object', description: 'Its flow outputs: `trigger.outputs`.' },
  },
  check: (props, report) => {
    const owner = triggerName(props);
    checkSystemLabels(props.labels, 'labels', report);
    if (Array.isArray(props.states)) {
      const index = props.states.indexOf('CREATED');
      if (index >= 0) {
        report(
          ['states', index],
          `${owner} never sees \`CREATED\`: it reacts to state changes, and CREATED is the first state`,
          {
            severity: 'warning',
          },
        );
      }
    }
    if (isRecord(props.preconditions)) checkPreconditions(props.preconditions, owner, report);
    checkDependsOn(props, owner, report);
  },
  examples: [
    {
      title: 'Start `transform` when `extract` succeeds, passing its output as an input',
      code: `id: transform
namespace: company.team
inputs:
  - id: date
    type: STRING
    defaults: "2025-01-01"
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Transforming up to {{ inputs.date }} after {{ trigger.executionId }}"
triggers:
  - id: after_extract
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      date: "{{ trigger.outputs.date }}"
    preconditions:
      id: extract_done
      flows:
        - namespace: company.team
          flowId: extract
          states: [SUCCESS]`,
    },
    {
      title: 'Alert on any failure in namespaces starting with `company`',
      code: `id: alert
namespace: system
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: "{{ trigger.namespace }}.{{ trigger.flowId }} ended {{ trigger.state }}"
triggers:
  - id: on_failure
    type: io.kestra.plugin.core.trigger.Flow
    states:
      - FAILED
      - WARNING
    preconditions:
      id: company_namespaces
      where:
        - id: company
          filters:
            - field: NAMESPACE
              type: STARTS_WITH
              value: company`,
    },
    {
      title: 'Start once `bronze` succeeded before 9:00 each day',
      code: `id: silver
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: Bronze layer is fresh.
triggers:
  - id: bronze_by_nine
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: bronze_by_nine
      timeWindow:
        type: DAILY_TIME_DEADLINE
        deadline: "09:00:00+01:00"
      flows:
        - namespace: company.team
          flowId: bronze
          states: [SUCCESS]`,
    },
  ],
});

function checkPreconditions(preconditions: Record<string, unknown>, owner: string, report: ReportFn): void {
  const flows = preconditions.flows;
  const where = preconditions.where;
  const empty = (list: unknown) => !Array.isArray(list) || list.length === 0;
  if (empty(flows) && empty(where)) {
    report(
      ['preconditions'],
      `\`preconditions\` of ${owner} has neither \`flows\` nor \`where\`, so it filters nothing`,
      {
        severity: 'warning',
      },
    );
  }
  checkTimeWindow(preconditions.timeWindow, ['preconditions', 'timeWindow'], report);
  if (!Array.isArray(where)) return;
  where.forEach((group, groupIndex) => {
    if (!isRecord(group) || !Array.isArray(group.filters)) return;
    group.filters.forEach((filter, filterIndex) => {
      if (!isRecord(filter) || typeof filter.type !== 'string') return;
      checkFilter(filter, ['preconditions', 'where', groupIndex, 'filters', filterIndex], report);
    });
  });
}

/** Kestra's `PreconditionFilterValidator`: `IN`/`NOT_IN` take `values`, the others `value`. */
function checkFilter(filter: Record<string, unknown>, path: Array<string | number>, report: ReportFn): void {
  const type = String(filter.type);
  const wantsList = LIST_FILTER_TYPES.includes(type);
  const wanted = wantsList ? 'values' : 'value';
  const unwanted = wantsList ? 'value' : 'values';
  if (filter[wanted] === undefined || filter[wanted] === null) {
    report(path, `a filter of type \`${type}\` needs \`${wanted}\``);
  }
  if (filter[unwanted] !== undefined && filter[unwanted] !== null) {
    report([...path, unwanted], `a filter of type \`${type}\` takes \`${wanted}\`, not \`${unwanted}\``, {
      atKey: true,
    });
  }
}

/** `dependsOn` with its `window` and `mode`, as Kestra's FlowTriggerValidation and WindowValidation check them. */
function checkDependsOn(props: Record<string, unknown>, owner: string, report: ReportFn): void {
  if (props.dependsOn !== undefined && props.preconditions !== undefined)
    report(
      ['preconditions'],
      `${owner} sets both \`dependsOn\` and \`preconditions\`: only \`dependsOn\` is used`,
      {
        severity: 'warning',
        atKey: true,
      },
    );
  if (props.mode === 'AT_LEAST' && (props.minSatisfied === undefined || props.minSatisfied === null))
    report(['minSatisfied'], `\`mode: AT_LEAST\` of ${owner} needs \`minSatisfied\``);
  if (isRecord(props.window)) {
    const window = props.window;
    const groups = WINDOW_GROUPS.filter((group) => group.some((key) => window[key] !== undefined));
    if (groups.length > 1)
      report(
        ['window'],
        `\`window\` of ${owner} mixes ${groups.map((g) => g.map((k) => `\`${k}\``).join('/')).join(' and ')}: set only one kind of window`,
      );
    if ((window.from === undefined) !== (window.to === undefined))
      report(['window'], `\`window\` of ${owner} needs both \`from\` and \`to\` for a daily time window`);
  }
}
