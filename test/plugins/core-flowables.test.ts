import { describe, expect, it } from 'vitest';
import { CORE_PLUGINS } from '../../src/plugins/core/index.js';
import { errorsOf, flowWithTasks, validateYaml, warningsOf } from '../helpers.js';
import { warningsOfSnippet } from '../helpers.js';

/** The flow-control tasks: `io.kestra.plugin.core.flow.*`. */
const FLOW_TASKS = CORE_PLUGINS.filter(
  (d) => d.kind === 'task' && d.type.startsWith('io.kestra.plugin.core.flow.'),
);

const log = (id: string, indent: string) =>
  `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.log.Log\n${indent}  message: ${id}`;

describe('core flowable tasks', () => {
  it('defines every flow task', () => {
    expect(FLOW_TASKS.map((d) => d.type.replace('io.kestra.plugin.core.flow.', '')).sort()).toEqual([
      'AllowFailure',
      'Dag',
      'EachParallel',
      'EachSequential',
      'ForEach',
      'ForEachItem',
      'If',
      'Loop',
      'LoopUntil',
      'Parallel',
      'Pause',
      'Sequential',
      'Sleep',
      'Subflow',
      'Switch',
      'WorkingDirectory',
    ]);
  });

  it('marks the tasks that hold tasks as flowable, which gives them `errors` and `finally`', () => {
    const flowable = FLOW_TASKS.filter((d) => d.flowable).map((d) => d.type.split('.').pop());
    expect(flowable.sort()).toEqual([
      'AllowFailure',
      'Dag',
      'EachParallel',
      'EachSequential',
      'ForEach',
      'ForEachItem',
      'If',
      'Loop',
      'LoopUntil',
      'Parallel',
      'Pause',
      'Sequential',
      'Switch',
      'WorkingDirectory',
    ]);
    for (const def of FLOW_TASKS.filter((d) => d.flowable)) {
      expect(def.properties.errors, def.type).toBeDefined();
      expect(def.properties.finally, def.type).toBeDefined();
    }
  });

  it('validates the errors and finally tasks of a flowable', () => {
    const text = flowWithTasks(`  - id: group
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
${log('a', '      ')}
    errors:
      - id: on_error
        type: io.kestra.plugin.core.log.Lgo
        message: failed
    finally:
      - id: cleanup
        type: io.kestra.plugin.core.flow.Sleep`);
    expect(errorsOf(text)).toEqual([
      '12:15 unknown task type `io.kestra.plugin.core.log.Lgo` (did you mean `io.kestra.plugin.core.log.Log`?)',
      '15:9 missing required property `duration` on io.kestra.plugin.core.flow.Sleep',
    ]);
  });

  describe('required properties', () => {
    const cases: Array<[string, string]> = [
      ['Parallel', 'tasks'],
      ['Switch', 'value'],
      ['ForEach', 'values'],
      ['ForEach', 'tasks'],
      ['Loop', 'values'],
      ['Loop', 'tasks'],
      ['EachSequential', 'value'],
      ['EachSequential', 'tasks'],
      ['EachParallel', 'value'],
      ['EachParallel', 'tasks'],
      ['ForEachItem', 'items'],
      ['ForEachItem', 'namespace'],
      ['ForEachItem', 'flowId'],
      ['Dag', 'tasks'],
      ['Subflow', 'namespace'],
      ['Subflow', 'flowId'],
      ['Sleep', 'duration'],
      ['WorkingDirectory', 'tasks'],
      ['AllowFailure', 'tasks'],
      ['LoopUntil', 'condition'],
      ['LoopUntil', 'tasks'],
    ];
    /** A valid value of each required property, so that only the one left out is missing. */
    const SAMPLES: Record<string, string> = {
      tasks: `tasks:\n${log('inner', '      ')}`,
      value: 'value: x',
      values: 'values: [1]',
      items: 'items: "{{ inputs.file }}"',
      namespace: 'namespace: company.team',
      flowId: 'flowId: child',
      duration: 'duration: PT1S',
      condition: 'condition: "{{ true }}"',
    };
    it.each(cases)('%s needs `%s`', (name, property) => {
      const type = `io.kestra.plugin.core.flow.${name}`;
      const others = cases
        .filter(([n, p]) => n === name && p !== property)
        .map(([, p]) => `    ${SAMPLES[p] ?? ''}\n`)
        .join('');
      const text = flowWithTasks(`  - id: t\n    type: ${type}\n${others}`);
      expect(errorsOf(text)).toEqual([`4:5 missing required property \`${property}\` on ${type}`]);
    });

    it('agrees with the definitions', () => {
      const declared = FLOW_TASKS.flatMap((d) =>
        d.ownProperties
          .filter((name) => d.properties[name]?.info.required)
          .map((name) => [d.type.split('.').pop(), name]),
      );
      expect(declared.sort()).toEqual(
        [...cases, ['If', 'condition'], ['If', 'then'], ['Sequential', 'tasks']].sort(),
      );
    });
  });

  it('reports a wrong enum value with a suggestion', () => {
    const text = flowWithTasks(`  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    behavior: WARNING
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    onChildFailure: CANCELED
    tasks:
      - task:
          id: a
          type: io.kestra.plugin.core.log.Log
          message: a`);
    expect(errorsOf(text)).toEqual([
      '6:15 `behavior` of task `pause` must be one of `RESUME`, `WARN`, `CANCEL`, `FAIL` or an expression, got `WARNING`',
      '9:21 `onChildFailure` of task `dag` must be one of `CONTINUE`, `CANCEL`, `FAIL`, `CANCELLED`, `FAILED`, got `CANCELED` (did you mean `CANCELLED`?)',
    ]);
  });

  describe('nested tasks', () => {
    it('validates the tasks of each Switch case and of `defaults`', () => {
      const text = flowWithTasks(`  - id: switch
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
      A:
        - id: a
          type: io.kestra.plugin.core.log.Lgo
          message: a
      B: []
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log`);
      expect(errorsOf(text)).toEqual([
        expect.stringMatching(
          /^10:17 unknown task type `io\.kestra\.plugin\.core\.log\.Lgo` \(did you mean `io\.kestra\.plugin\.core\.log\.Log`/,
        ),
        '12:10 `B` of task `switch` must hold at least one task',
        '14:9 missing required property `message` on io.kestra.plugin.core.log.Log',
      ]);
    });

    it('needs cases or defaults in a Switch', () => {
      const text = flowWithTasks(`  - id: switch
    type: io.kestra.plugin.core.flow.Switch
    value: x`);
      expect(errorsOf(text)).toEqual([
        '4:5 task `switch` has no tasks to run: give `cases`, `defaults`, or both',
      ]);
    });

    it('validates the tasks of a ForEach', () => {
      const text = flowWithTasks(`  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["a", "b"]'
    tasks:
      - id: inner
        type: io.kestra.plugin.core.nope.Thing`);
      expect(errorsOf(text)).toEqual(['9:15 unknown task type `io.kestra.plugin.core.nope.Thing`']);
    });

    it('accepts ForEach values as a list, a JSON string or an expression', () => {
      for (const values of [
        '[1, 2]',
        '\'["a"]\'',
        '"{{ outputs.x.rows }}"',
        '\n      - a: 1\n      - a: 2',
      ]) {
        const text = flowWithTasks(`  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ${values}
    tasks:
${log('inner', '      ')}`);
        expect(errorsOf(text), values).toEqual([]);
      }
    });

    it('takes concurrencyLimit literally, as Kestra does', () => {
      const text = flowWithTasks(`  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1]
    concurrencyLimit: -1
    tasks:
${log('inner', '      ')}`);
      expect(errorsOf(text)).toEqual([
        '7:23 `concurrencyLimit` of task `each` must be an integer of at least 0, got `-1`',
      ]);
    });

    it('validates the task of each Dag entry', () => {
      const text = flowWithTasks(`  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: a
          type: io.kestra.plugin.core.log.Lg
          message: a
      - task:
          id: b
          type: io.kestra.plugin.core.log.Log
        dependsOn: [a]`);
      expect(errorsOf(text)).toEqual([
        '9:17 unknown task type `io.kestra.plugin.core.log.Lg` (did you mean `io.kestra.plugin.core.log.Log`?)',
        '12:11 missing required property `message` on io.kestra.plugin.core.log.Log',
      ]);
    });

    it('validates the tasks of Parallel, AllowFailure, LoopUntil, WorkingDirectory and a deprecated Pause', () => {
      for (const [type, extra] of [
        ['Parallel', ''],
        ['AllowFailure', ''],
        ['LoopUntil', '    condition: "{{ true }}"\n'],
        ['WorkingDirectory', ''],
        ['Pause', ''],
      ] as const) {
        const text = flowWithTasks(`  - id: group
    type: io.kestra.plugin.core.flow.${type}
${extra}    tasks:
      - id: inner
        type: io.kestra.plugin.core.log.Log`);
        const line = extra ? 8 : 7;
        expect(errorsOf(text), type).toEqual([
          `${line}:9 missing required property \`message\` on io.kestra.plugin.core.log.Log`,
        ]);
      }
    });

    it('finds duplicate ids inside flowables and across nesting levels', () => {
      const text = flowWithTasks(`  - id: outer
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
${log('same', '      ')}
      - id: inner
        type: io.kestra.plugin.core.flow.Switch
        value: x
        cases:
          x:
${log('same', '            ')}
    errors:
${log('outer', '      ')}`);
      expect(errorsOf(text)).toEqual([
        '15:19 duplicate task id `same`: task ids must be unique in the flow (first declared at line 7)',
        '19:13 duplicate task id `outer`: task ids must be unique in the flow (first declared at line 4)',
      ]);
    });

    it('finds duplicate ids among Dag entries', () => {
      const text = flowWithTasks(`  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: a
          type: io.kestra.plugin.core.log.Log
          message: a
      - task:
          id: a
          type: io.kestra.plugin.core.log.Log
          message: again`);
      expect(errorsOf(text)).toEqual([
        '12:15 duplicate task id `a`: task ids must be unique in the flow (first declared at line 8)',
      ]);
    });
  });

  describe('Dag dependencies', () => {
    const dag = (entries: string) =>
      flowWithTasks(`  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n${entries}`);
    const entry = (id: string, dependsOn?: string) =>
      `      - task:\n          id: ${id}\n          type: io.kestra.plugin.core.log.Log\n          message: ${id}\n` +
      (dependsOn ? `        dependsOn: [${dependsOn}]\n` : '');

    it('accepts the example diamond', () => {
      const text = dag(entry('a') + entry('b', 'a') + entry('c', 'a') + entry('d', 'b, c'));
      expect(errorsOf(text)).toEqual([]);
    });

    it('reports a dependency on an unknown task', () => {
      const text = dag(entry('extract') + entry('load', 'extrat'));
      expect(errorsOf(text)).toEqual([
        '15:21 `dependsOn` of task `load` names unknown task `extrat` (did you mean `extract`?)',
      ]);
    });

    it('reports a dependency on a task outside the Dag', () => {
      const text = `${dag(entry('a', 'outside'))}\n${log('outside', '  ')}`;
      expect(errorsOf(text)).toEqual([
        '11:21 `dependsOn` of task `a` names `outside`, which is not in the same task list; a task can only depend on its siblings',
      ]);
    });

    it('reports a cycle', () => {
      const text = dag(entry('a', 'c') + entry('b', 'a') + entry('c', 'b'));
      expect(errorsOf(text)).toEqual(['11:20 `dependsOn` forms a cycle: `a` → `c` → `b` → `a`']);
    });

    it('refuses an empty Dag and an entry without a task', () => {
      const empty = flowWithTasks(`  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks: []`);
      expect(errorsOf(empty)).toEqual(['6:12 `tasks` of task `dag` must hold at least one task']);
      const noTask = dag('      - dependsOn: [a]\n');
      expect(errorsOf(noTask)).toEqual(['7:9 missing required property `task` in `tasks[0]`']);
    });
  });

  describe('Subflow and ForEachItem', () => {
    it('accept labels as a map or a list, and refuse system labels', () => {
      const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    labels:
      team: data
      system.correlationId: x
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ outputs.call.outputs.file }}"
    namespace: company.team
    flowId: child
    labels:
      - key: system.readOnly
        value: "true"
      - key: batch
        value: "{{ taskrun.iteration }}"`);
      expect(errorsOf(text)).toEqual([
        '10:7 label `system.correlationId` is reserved: keys starting with `system.` are set by the system only',
        '17:14 label `system.readOnly` is reserved: keys starting with `system.` are set by the system only',
      ]);
    });

    it('warns about the deprecated subflow `outputs`', () => {
      const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    wait: true
    outputs:
      file: "{{ outputs.last.uri }}"`);
      expect(errorsOf(text)).toEqual([]);
      expect(warningsOfSnippet(text)).toEqual([
        '9:5 `outputs` of task `call` is deprecated; declare `outputs` on the subflow itself; they are read as `outputs.<task>.outputs`',
      ]);
    });

    it('takes wait and transmitFailed literally', () => {
      const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    wait: "{{ inputs.wait }}"`);
      expect(errorsOf(text)).toEqual([
        '8:11 `wait` of task `call` must be `true` or `false`, got `{{ inputs.wait }}`',
      ]);
    });

    it('checks the ForEachItem batch, and warns when it sets several ways to split', () => {
      const each = (batch: string) =>
        flowWithTasks(`  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    namespace: company.team
    flowId: child
    batch:
${batch}`);
      expect(errorsOf(each('      rows: 10\n      colums: 2'))).toEqual([
        '11:7 unknown property `colums` in `batch` of task `each`',
      ]);
      const several = each('      rows: 10\n      bytes: 1MB');
      expect(errorsOf(several)).toEqual([]);
      expect(warningsOfSnippet(several)).toEqual([
        '10:7 `batch` sets `rows` and `bytes`; only one is used (`bytes`)',
      ]);
    });
  });

  describe('Pause', () => {
    it('warns about `delay` and `tasks`, and checks the onResume inputs', () => {
      const text = flowWithTasks(`  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    delay: PT1M
    onResume:
      - id: approved
        type: BOOL
      - id: reason
    tasks:
${log('after', '      ')}`);
      expect(errorsOf(text)).toEqual([
        '10:9 missing required property `type` in `onResume[1]` of task `pause`',
      ]);
      expect(warningsOf(text)).toEqual([
        '6:5 `delay` of task `pause` is deprecated; use `pauseDuration`',
        '11:5 `tasks` of task `pause` is deprecated; put the tasks after the Pause instead',
      ]);
    });

    it('checks durations', () => {
      const text = flowWithTasks(`  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: 5 minutes`);
      expect(errorsOf(text)).toEqual([
        '6:20 `pauseDuration` of task `pause` must be an ISO-8601 duration such as `PT5M`, `PT1H30M` or `P1D` or an expression, got `5 minutes`',
      ]);
    });
  });

  describe('WorkingDirectory', () => {
    it('refuses flowable children and worker groups on children', () => {
      const text = flowWithTasks(`  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: nested
        type: io.kestra.core.tasks.flows.Parallel
        tasks:
${log('deep', '          ')}
      - id: step
        type: io.kestra.plugin.core.log.Log
        message: step
        workerGroup:
          key: gpu`);
      expect(errorsOf(text)).toEqual([
        '8:15 `io.kestra.core.tasks.flows.Parallel` cannot run inside a WorkingDirectory: only tasks that run on a worker can',
        '16:9 tasks inside a WorkingDirectory cannot set `workerGroup`; set it on the WorkingDirectory',
      ]);
    });

    it('checks namespaceFiles and cache', () => {
      const text = flowWithTasks(`  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: true
      ifExists: REPLACE
    cache:
      ttl: PT1H
    tasks:
${log('step', '      ')}`);
      expect(errorsOf(text)).toEqual([
        '8:17 `namespaceFiles.ifExists` of task `wdir` must be one of `OVERWRITE`, `FAIL`, `WARN`, `IGNORE` or an expression, got `REPLACE`',
        '10:7 missing required property `patterns` in `cache` of task `wdir`',
      ]);
    });
  });

  it('normalizes legacy flow task names and warns about them', () => {
    const text = flowWithTasks(`  - id: old
    type: io.kestra.core.tasks.flows.Parallel
    tasks:
${log('a', '      ')}
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ true }}"
    tasks:
${log('b', '      ')}`);
    expect(errorsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks.map((t) => t.type)).toEqual([
      'io.kestra.plugin.core.flow.Parallel',
      'io.kestra.plugin.core.flow.LoopUntil',
    ]);
    expect(warningsOf(text)).toEqual([
      '5:11 `io.kestra.core.tasks.flows.Parallel` is a deprecated name of `io.kestra.plugin.core.flow.Parallel`',
      '11:11 `io.kestra.plugin.core.flow.WaitFor` is a deprecated name of `io.kestra.plugin.core.flow.LoopUntil`',
    ]);
  });
});
