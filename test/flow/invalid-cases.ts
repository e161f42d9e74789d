/**
 * Invalid flows, one mistake each, with the exact problem expected (`LINE:COL message`).
 * Shared by the test and by anyone who wants to see what the validator says.
 */
export interface InvalidCase {
  name: string;
  yaml: string;
  errors: string[];
}

const HEAD = 'id: f\nnamespace: company.team\n';
const LOG = '    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const TASKS = `tasks:\n  - id: a\n${LOG}`;

export const INVALID_CASES: InvalidCase[] = [
  // the flow itself
  {
    name: 'missing id',
    yaml: `namespace: company.team\n${TASKS}`,
    errors: ['1:1 missing required property `id` on the flow'],
  },
  {
    name: 'missing namespace',
    yaml: `id: f\n${TASKS}`,
    errors: ['1:1 missing required property `namespace` on the flow'],
  },
  { name: 'missing tasks', yaml: HEAD, errors: ['1:1 missing required property `tasks` on the flow'] },
  { name: 'empty tasks', yaml: `${HEAD}tasks: []\n`, errors: ['3:8 `tasks` must hold at least one task'] },
  {
    name: 'id with a space',
    yaml: `id: my flow\nnamespace: company.team\n${TASKS}`,
    errors: [
      '1:5 `id` must be an id made of letters, digits, `.`, `_` and `-`, starting with a letter or digit, got `my flow`',
    ],
  },
  {
    name: 'id too long',
    yaml: `id: ${'a'.repeat(101)}\nnamespace: company.team\n${TASKS}`,
    errors: ['1:5 `id` is 101 characters long; at most 100 are allowed'],
  },
  {
    name: 'namespace with capitals',
    yaml: `id: f\nnamespace: Company.Team\n${TASKS}`,
    errors: [
      '2:12 `namespace` must be made of lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit, got `Company.Team`',
    ],
  },
  {
    name: 'namespace too long',
    yaml: `id: f\nnamespace: ${'n'.repeat(151)}\n${TASKS}`,
    errors: ['2:12 `namespace` is 151 characters long; at most 150 are allowed'],
  },
  {
    name: 'unknown flow property',
    yaml: `${HEAD}${TASKS}taks: []\n`,
    errors: ['7:1 unknown property `taks` on the flow (did you mean `tasks`?)'],
  },
  {
    name: 'tasks is a map',
    yaml: `${HEAD}tasks:\n  a: 1\n`,
    errors: ['4:3 `tasks` must be a list of tasks, got a map'],
  },
  {
    name: 'system label',
    yaml: `${HEAD}labels:\n  system.correlationId: abc\n${TASKS}`,
    errors: [
      '4:3 label `system.correlationId` is reserved: keys starting with `system.` are set by Windhover (only `system.readOnly` may be set on a flow)',
    ],
  },
  {
    name: 'duplicate label in list form',
    yaml: `${HEAD}labels:\n  - key: team\n    value: a\n  - key: team\n    value: b\n${TASKS}`,
    errors: ['6:5 duplicate label `team`'],
  },
  {
    name: 'label value is a map',
    yaml: `${HEAD}labels:\n  team:\n    name: a\n${TASKS}`,
    errors: ['4:3 `labels` must be a map of `key: value`, or a list of `{key, value}`, got a map'],
  },
  {
    name: 'variables is a list',
    yaml: `${HEAD}variables:\n  - a\n${TASKS}`,
    errors: ['4:3 `variables` must be a map, got a list'],
  },
  {
    name: 'concurrency limit 0',
    yaml: `${HEAD}concurrency:\n  limit: 0\n${TASKS}`,
    errors: ['4:10 `concurrency.limit` must be an integer of at least 1, got `0`'],
  },
  {
    name: 'concurrency behavior in lower case',
    yaml: `${HEAD}concurrency:\n  limit: 2\n  behavior: fail\n${TASKS}`,
    errors: [
      '5:13 `concurrency.behavior` must be one of `QUEUE`, `CANCEL`, `FAIL`, `FAIL_AFTER_N_RETRIES`, got `fail` (did you mean `FAIL`?)',
    ],
  },
  {
    name: 'concurrency without limit',
    yaml: `${HEAD}concurrency:\n  behavior: QUEUE\n${TASKS}`,
    errors: ['4:3 missing required property `limit` in `concurrency` of the flow'],
  },
  {
    name: 'disabled is not a boolean',
    yaml: `${HEAD}disabled: yes\n${TASKS}`,
    errors: ['3:11 `disabled` must be `true` or `false`, got `yes`'],
  },
  {
    name: 'retry of unknown type',
    yaml: `${HEAD}retry:\n  type: linear\n  maxAttempts: 2\n${TASKS}`,
    errors: ['4:9 `retry.type` must be one of `constant`, `exponential`, `random`, got `linear`'],
  },
  {
    name: 'constant retry without interval',
    yaml: `${HEAD}retry:\n  type: constant\n  maxAttempts: 2\n${TASKS}`,
    errors: ['4:3 missing required property `interval` in `retry` of the flow'],
  },
  {
    name: 'pluginDefaults without values',
    yaml: `${HEAD}pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n${TASKS}`,
    errors: [
      '4:5 missing required property `values` on pluginDefaults entry `io.kestra.plugin.core.log.Log`',
    ],
  },
  {
    name: 'pluginDefaults forced not boolean',
    yaml: `${HEAD}pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    forced: always\n    values:\n      level: WARN\n${TASKS}`,
    errors: [
      '5:13 `forced` of pluginDefaults entry `io.kestra.plugin.core.log.Log` must be `true` or `false`, got `always`',
    ],
  },
  {
    name: 'duplicate output ids',
    yaml: `${HEAD}${TASKS}outputs:\n  - id: o\n    type: STRING\n    value: x\n  - id: o\n    type: STRING\n    value: y\n`,
    errors: ['11:9 duplicate output id `o`: output ids must be unique (first declared at line 8)'],
  },
  {
    name: 'output of unknown type',
    yaml: `${HEAD}${TASKS}outputs:\n  - id: o\n    type: TEXT\n    value: x\n`,
    errors: [
      '9:11 `type` of output `o` must be one of `STRING`, `INT`, `FLOAT`, `BOOLEAN`, `BOOL`, `DATE`, `DATETIME`, `TIME`, `DURATION`, `JSON`, `YAML`, `URI`, `EMAIL`, `FILE`, `ARRAY`, got `TEXT`',
    ],
  },
  {
    name: 'triggers is a map',
    yaml: `${HEAD}${TASKS}triggers:\n  daily: 1\n`,
    errors: ['8:3 `triggers` must be a list of triggers, got a map'],
  },
  {
    name: 'revision 0',
    yaml: `${HEAD}revision: 0\n${TASKS}`,
    errors: ['3:11 `revision` must be an integer of at least 1, got `0`'],
  },
  // tasks
  {
    name: 'task without id',
    yaml: `${HEAD}tasks:\n  - type: io.kestra.plugin.core.log.Log\n    message: hi\n`,
    errors: ['4:5 missing required property `id` on io.kestra.plugin.core.log.Log'],
  },
  {
    name: 'task without type',
    yaml: `${HEAD}tasks:\n  - id: a\n    message: hi\n`,
    errors: ['4:5 missing required property `type` on task `a`'],
  },
  {
    name: 'task id with a space',
    yaml: `${HEAD}tasks:\n  - id: my task\n${LOG}`,
    errors: [
      '4:9 `id` of task `my task` must be an id made of letters, digits, `_` and `-`, starting with a letter or digit, got `my task`',
    ],
  },
  {
    name: 'unknown task type',
    yaml: `${HEAD}tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Logg\n    message: hi\n`,
    errors: [
      '5:11 unknown task type `io.kestra.plugin.core.log.Logg` (did you mean `io.kestra.plugin.core.log.Log`?)',
    ],
  },
  {
    name: 'unknown task property',
    yaml: `${HEAD}tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    mesage: hi\n    message: hi\n`,
    errors: ['6:5 unknown property `mesage` on io.kestra.plugin.core.log.Log (did you mean `message`?)'],
  },
  {
    name: 'missing required task property',
    yaml: `${HEAD}tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n`,
    errors: ['4:5 missing required property `message` on io.kestra.plugin.core.log.Log'],
  },
  {
    name: 'wrong enum value',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    level: INFOO\n`,
    errors: [
      '7:12 `level` of task `a` must be one of `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR` or an expression, got `INFOO` (did you mean `INFO`?)',
    ],
  },
  {
    name: 'timeout not a duration',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    timeout: 5 minutes\n`,
    errors: [
      '7:14 `timeout` of task `a` must be an ISO-8601 duration such as `PT5M`, `PT1H30M` or `P1D` or an expression, got `5 minutes`',
    ],
  },
  {
    name: 'retry maxAttempts 0',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    retry:\n      type: constant\n      interval: PT1S\n      maxAttempts: 0\n`,
    errors: ['10:20 `retry.maxAttempts` of task `a` must be an integer of at least 1, got `0`'],
  },
  {
    name: 'exponential retry without maxInterval',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    retry:\n      type: exponential\n      interval: PT1S\n      maxAttempts: 3\n`,
    errors: ['8:7 missing required property `maxInterval` in `retry` of task `a`'],
  },
  {
    name: 'random retry with min above max',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    retry:\n      type: random\n      minInterval: PT10S\n      maxInterval: PT1S\n      maxAttempts: 3\n`,
    errors: ['9:20 `retry.minInterval` (PT10S) is longer than `retry.maxInterval` (PT1S)'],
  },
  {
    name: 'unknown property in retry',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    retry:\n      type: constant\n      interval: PT1S\n      maxAttempts: 2\n      delay: PT1S\n`,
    errors: ['11:7 unknown property `delay` in `retry` of task `a`'],
  },
  {
    name: 'duplicate task ids',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}  - id: a\n${LOG}`,
    errors: ['7:9 duplicate task id `a`: task ids must be unique in the flow (first declared at line 4)'],
  },
  {
    name: 'duplicate id between a flowable branch and its errors',
    yaml: `${HEAD}tasks:\n  - id: branch\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n    then:\n      - id: x\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n    errors:\n      - id: x\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n`,
    errors: ['12:13 duplicate task id `x`: task ids must be unique in the flow (first declared at line 8)'],
  },
  {
    name: 'duplicate id in afterExecution',
    yaml: `${HEAD}${TASKS}afterExecution:\n  - id: a\n${LOG}`,
    errors: ['8:9 duplicate task id `a`: task ids must be unique in the flow (first declared at line 4)'],
  },
  {
    name: 'duplicate id in finally',
    yaml: `${HEAD}${TASKS}finally:\n  - id: a\n${LOG}`,
    errors: ['8:9 duplicate task id `a`: task ids must be unique in the flow (first declared at line 4)'],
  },
  {
    name: 'dependsOn an unknown task',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}  - id: b\n${LOG}    dependsOn: [c]\n`,
    errors: ['10:17 `dependsOn` of task `b` names unknown task `c` (did you mean `a`?)'],
  },
  {
    name: 'dependsOn cycle',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    dependsOn: [b]\n  - id: b\n${LOG}    dependsOn: [a]\n`,
    errors: ['7:16 `dependsOn` forms a cycle: `a` → `b` → `a`'],
  },
  {
    name: 'dependsOn itself',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    dependsOn: [a]\n`,
    errors: ['7:16 task `a` depends on itself'],
  },
  {
    name: 'dependsOn a task of another list',
    yaml: `${HEAD}tasks:\n  - id: g\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n      - id: inner\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n  - id: b\n${LOG}    dependsOn: [inner]\n`,
    errors: [
      '13:17 `dependsOn` of task `b` names `inner`, which is not in the same task list; a task can only depend on its siblings',
    ],
  },
  {
    name: 'dependsOn is a string',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}  - id: b\n${LOG}    dependsOn: a\n`,
    errors: ['10:16 `dependsOn` of task `b` must be a list of task ids, got `a`'],
  },
  {
    name: 'a task that is a string',
    yaml: `${HEAD}tasks:\n  - hello\n`,
    errors: ['4:5 expected a task (a map with `id` and `type`), got `hello`'],
  },
  {
    name: 'If without then',
    yaml: `${HEAD}tasks:\n  - id: i\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n`,
    errors: ['4:5 missing required property `then` on io.kestra.plugin.core.flow.If'],
  },
  {
    name: 'If with empty then',
    yaml: `${HEAD}tasks:\n  - id: i\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n    then: []\n`,
    errors: ['7:11 `then` of task `i` must hold at least one task'],
  },
  {
    name: 'Sequential without tasks',
    yaml: `${HEAD}tasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Sequential\n`,
    errors: ['4:5 missing required property `tasks` on io.kestra.plugin.core.flow.Sequential'],
  },
  {
    name: 'unknown type nested in a Sequential',
    yaml: `${HEAD}tasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n      - id: inner\n        type: io.kestra.plugin.core.debug.Retrun\n`,
    errors: [
      '8:15 unknown task type `io.kestra.plugin.core.debug.Retrun` (did you mean `io.kestra.plugin.core.debug.Return`?)',
    ],
  },
  {
    name: 'allowFailure not a boolean',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    allowFailure: sometimes\n`,
    errors: ['7:19 `allowFailure` of task `a` must be `true` or `false`, got `sometimes`'],
  },
  {
    name: 'runIf is a map',
    yaml: `${HEAD}tasks:\n  - id: a\n${LOG}    runIf:\n      when: true\n`,
    errors: ['8:7 `runIf` of task `a` must be a string, got a map'],
  },
  {
    name: 'a task under triggers',
    yaml: `${HEAD}${TASKS}triggers:\n  - id: t\n${LOG}`,
    errors: ['9:11 `io.kestra.plugin.core.log.Log` is a task type, not a trigger; put it under `tasks`'],
  },
  {
    name: 'errors is not a list',
    yaml: `${HEAD}${TASKS}errors:\n  id: e\n`,
    errors: ['8:3 `errors` must be a list of tasks, got a map'],
  },
  // inputs
  {
    name: 'input without id',
    yaml: `${HEAD}inputs:\n  - type: STRING\n${TASKS}`,
    errors: ['4:5 missing required property `id` in `inputs[0]` of the flow'],
  },
  {
    name: 'input of unknown type',
    yaml: `${HEAD}inputs:\n  - id: x\n    type: STRNG\n${TASKS}`,
    errors: [
      '5:11 `type` of input `x` must be one of `STRING`, `SECRET`, `INT`, `FLOAT`, `BOOLEAN`, `BOOL`, `DATE`, `DATETIME`, `TIME`, `DURATION`, `JSON`, `YAML`, `URI`, `EMAIL`, `FILE`, `ARRAY`, `SELECT`, `MULTISELECT`, `ENUM`, got `STRNG` (did you mean `STRING`?)',
    ],
  },
  {
    name: 'input type in lower case',
    yaml: `${HEAD}inputs:\n  - id: x\n    type: string\n${TASKS}`,
    errors: [
      '5:11 `type` of input `x` must be one of `STRING`, `SECRET`, `INT`, `FLOAT`, `BOOLEAN`, `BOOL`, `DATE`, `DATETIME`, `TIME`, `DURATION`, `JSON`, `YAML`, `URI`, `EMAIL`, `FILE`, `ARRAY`, `SELECT`, `MULTISELECT`, `ENUM`, got `string` (did you mean `STRING`?)',
    ],
  },
  {
    name: 'duplicate input ids',
    yaml: `${HEAD}inputs:\n  - id: x\n    type: STRING\n  - id: x\n    type: INT\n${TASKS}`,
    errors: ['6:9 duplicate input id `x`: input ids must be unique (first declared at line 4)'],
  },
  {
    name: 'INT min above max',
    yaml: `${HEAD}inputs:\n  - id: n\n    type: INT\n    min: 10\n    max: 1\n${TASKS}`,
    errors: ['6:10 `min` of input `n` (10) is greater than `max` (1)'],
  },
  {
    name: 'SELECT without values',
    yaml: `${HEAD}inputs:\n  - id: s\n    type: SELECT\n${TASKS}`,
    errors: ['4:5 input `s` of type SELECT needs `values` (or an `expression`)'],
  },
  {
    name: 'SELECT default not among values',
    yaml: `${HEAD}inputs:\n  - id: year\n    type: SELECT\n    values: ['2019', '2020']\n    defaults: '2018'\n${TASKS}`,
    errors: ['7:15 `defaults` of input `year` must be one of 2019, 2020, got `2018`'],
  },
  {
    name: 'invalid validator regex',
    yaml: `${HEAD}inputs:\n  - id: s\n    type: STRING\n    validator: "^[a-z"\n${TASKS}`,
    errors: ['6:16 `validator` of input `s` is not a valid regular expression'],
  },
  {
    name: 'DATE default not a date',
    yaml: `${HEAD}inputs:\n  - id: d\n    type: DATE\n    defaults: 2024-02-30\n${TASKS}`,
    errors: ['6:15 `defaults` of input `d` must be an ISO-8601 date such as `2024-02-05`, got `2024-02-30`'],
  },
  {
    name: 'ARRAY without itemType',
    yaml: `${HEAD}inputs:\n  - id: a\n    type: ARRAY\n${TASKS}`,
    errors: ['4:5 missing required property `itemType` on input `a`'],
  },
  {
    name: 'input dependsOn an unknown input',
    yaml: `${HEAD}inputs:\n  - id: a\n    type: STRING\n    dependsOn:\n      inputs: [b]\n${TASKS}`,
    errors: ['7:16 `dependsOn.inputs` of input `a` names unknown input `b`'],
  },
  {
    name: 'input id starting with a dot',
    yaml: `${HEAD}inputs:\n  - id: .x\n    type: STRING\n${TASKS}`,
    errors: [
      '4:9 `id` of input `.x` must be an id made of letters, digits, `.`, `_` and `-`, starting with a letter or digit, got `.x`',
    ],
  },
  {
    name: 'input ids that nest into each other',
    yaml: `${HEAD}inputs:\n  - id: a\n    type: STRING\n  - id: a.b\n    type: STRING\n${TASKS}`,
    errors: ['6:9 input `a.b` nests under input `a`, so `inputs.a` could not hold both'],
  },
  {
    name: '`default` instead of `defaults`',
    yaml: `${HEAD}inputs:\n  - id: a\n    type: STRING\n    default: x\n${TASKS}`,
    errors: ['6:5 unknown property `default` on input `a` (did you mean `defaults`?)'],
  },
  {
    name: 'INT default not a number',
    yaml: `${HEAD}inputs:\n  - id: n\n    type: INT\n    defaults: abc\n${TASKS}`,
    errors: ['6:15 `defaults` of input `n` must be an integer, got `abc`'],
  },
  {
    name: 'DURATION default invalid',
    yaml: `${HEAD}inputs:\n  - id: d\n    type: DURATION\n    defaults: 5m\n${TASKS}`,
    errors: ['6:15 `defaults` of input `d` must be an ISO-8601 duration such as `PT5M` or `P1D`, got `5m`'],
  },
  {
    name: 'BOOL default not a boolean',
    yaml: `${HEAD}inputs:\n  - id: b\n    type: BOOL\n    defaults: yes\n${TASKS}`,
    errors: ['6:15 `defaults` of input `b` must be `true` or `false`, got `yes`'],
  },
  {
    name: 'inputs is a map',
    yaml: `${HEAD}inputs: {}\n${TASKS}`,
    errors: ['3:9 `inputs` must be a list of inputs, got a map'],
  },
  // YAML itself
  {
    name: 'bad indentation',
    yaml: `${HEAD}tasks:\n  - id: a\n   type: io.kestra.plugin.core.log.Log\n`,
    errors: [
      '5:1 YAML syntax error: Sequence item without - indicator (check the indentation and quoting of this line and the one before)',
    ],
  },
  {
    name: 'duplicate YAML key',
    yaml: `${HEAD}${TASKS}id: g\n`,
    errors: ['7:1 YAML syntax error: duplicate key `id`: keys must be unique in a map'],
  },
  {
    name: 'tab indentation',
    yaml: `${HEAD}tasks:\n\t- id: a\n`,
    errors: ['4:1 YAML syntax error: Tabs are not allowed as indentation'],
  },
  {
    name: 'a list document',
    yaml: `- id: f\n  namespace: company.team\n`,
    errors: ['1:1 a flow must be a map with `id`, `namespace` and `tasks`, got a list'],
  },
  {
    name: 'unclosed quote',
    yaml: `${HEAD}tasks:\n  - id: a\n    type: "io.kestra.plugin.core.log.Log\n`,
    errors: [
      '6:1 YAML syntax error: Missing closing "quote (check the indentation and quoting of this line and the one before)',
    ],
  },
];
