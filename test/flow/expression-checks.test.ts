import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../helpers.js';

const LOG = (id: string, message: string, extra = '') =>
  `  - id: ${id}\n    type: io.kestra.plugin.core.log.Log\n    message: "${message}"\n${extra}`;

function flow(body: string, head = ''): string {
  return `id: f\nnamespace: company.team\n${head}tasks:\n${body}`;
}

/** Every problem as `severity LINE:COL message`. */
function found(text: string): string[] {
  return problemsOf(text).map((p) => `${p.severity} ${p.line}:${p.column} ${p.message}`);
}

const INPUTS =
  'inputs:\n  - id: taxi\n    type: STRING\n  - id: db.port\n    type: INT\n  - id: cfg\n    type: JSON\n';
const VARS = 'variables:\n  file: "{{ flow.id }}.csv"\n';

/** Indents every non-empty line by four spaces (to nest tasks in a flowable). */
const nest = (text: string) => text.replace(/^(?=.)/gm, '    ');

/** Twenty reference mistakes, one per flow, and the warning each gives. */
const SEEDED: Array<{ name: string; text: string; expected: string[] }> = [
  {
    name: 'an undeclared input',
    text: flow(LOG('a', '{{ inputs.taxy }}'), INPUTS),
    expected: ['warning 13:18 no input `taxy` is declared (did you mean `taxi`?)'],
  },
  {
    name: 'an input in a flow without inputs',
    text: flow(LOG('a', '{{ inputs.year }}')),
    expected: ['warning 6:18 no input `year` is declared'],
  },
  {
    name: 'a nested input id misspelt',
    text: flow(LOG('a', '{{ inputs.db.prot }}'), INPUTS),
    expected: ['warning 13:18 no input `db.prot` is declared (did you mean `db.port`?)'],
  },
  {
    name: 'an undeclared variable',
    text: flow(LOG('a', '{{ vars.fiel }}'), VARS),
    expected: ['warning 8:18 no variable `fiel` is declared in `variables` (did you mean `file`?)'],
  },
  {
    name: 'a variable in a flow without variables',
    text: flow(LOG('a', '{{ vars.x }}')),
    expected: ['warning 6:18 no variable `x` is declared in `variables`'],
  },
  {
    name: 'outputs of a task that does not exist',
    text: flow(LOG('a', 'x') + LOG('b', '{{ outputs.c.value }}')),
    expected: ['warning 9:18 no task `c` in this flow (did you mean `a`, `b`?)'],
  },
  {
    name: 'outputs of a misspelt task',
    text: flow(LOG('extract', 'x') + LOG('load', '{{ outputs.extrct.value }}')),
    expected: ['warning 9:18 no task `extrct` in this flow (did you mean `extract`?)'],
  },
  {
    name: 'outputs of a later task',
    text: flow(LOG('a', '{{ outputs.b.value }}') + LOG('b', 'x')),
    expected: [
      'warning 6:18 task `a` reads `outputs.b`, but `b` does not end before `a` starts (it runs later, in parallel, or in another branch)',
    ],
  },
  {
    name: 'its own outputs',
    text: flow(LOG('a', '{{ outputs.a.value }}')),
    expected: ['warning 6:18 task `a` reads its own outputs, which do not exist until it ends'],
  },
  {
    name: 'outputs of a task in another If branch',
    text: flow(
      '  - id: branch\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n    then:\n' +
        nest(LOG('yes', 'x')) +
        '    else:\n' +
        nest(LOG('no', '{{ outputs.yes.value }}')),
    ),
    expected: [
      'warning 14:22 task `no` reads `outputs.yes`, but `yes` does not end before `no` starts (it runs later, in parallel, or in another branch)',
    ],
  },
  {
    name: 'outputs of a sibling in a Parallel',
    text: flow(
      '  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n' +
        nest(LOG('one', 'x')) +
        nest(LOG('two', '{{ outputs.one.value }}')),
    ),
    expected: [
      'warning 12:22 task `two` reads `outputs.one`, but `one` does not end before `two` starts (it runs later, in parallel, or in another branch)',
    ],
  },
  {
    name: 'outputs of a task it does not depend on (DAG)',
    text: flow(
      LOG('a', 'x', '    dependsOn: []\n') + LOG('b', '{{ outputs.a.value }}', '    dependsOn: []\n'),
    ),
    expected: [
      'warning 10:18 task `b` reads `outputs.a`, but `a` does not end before `b` starts (it runs later, in parallel, or in another branch)',
    ],
  },
  {
    name: 'outputs of a child, read by its flowable',
    text: flow(
      '  - id: group\n    type: io.kestra.plugin.core.flow.Sequential\n    description: x\n    runIf: "{{ outputs.inner.value }}"\n    tasks:\n' +
        nest(LOG('inner', 'x')),
    ),
    expected: [
      'warning 7:16 task `group` reads `outputs.inner`, but `inner` runs inside `group`, after it starts',
    ],
  },
  {
    name: 'tasks state of a missing task',
    text: flow(LOG('a', 'x') + LOG('b', '{{ tasks.c.state }}')),
    expected: ['warning 9:18 no task `c` in this flow (did you mean `a`, `b`?)'],
  },
  {
    name: 'trigger.date without a trigger',
    text: flow(LOG('a', '{{ trigger.date }}')),
    expected: [
      'warning 6:18 `trigger.date` is only set when a Schedule trigger starts the execution, and this flow has no trigger; in other executions it is undefined (guard it: `trigger.date ?? …`)',
    ],
  },
  {
    name: 'trigger.date with only a Webhook',
    text:
      flow(LOG('a', '{{ trigger.date }}')) +
      'triggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: abc\n',
    expected: [
      "warning 6:18 `trigger.date` is only set when a Schedule trigger starts the execution, and none of this flow's triggers sets it; in other executions it is undefined (guard it: `trigger.date ?? …`)",
    ],
  },
  {
    name: 'trigger.body without a Webhook',
    text: flow(LOG('a', '{{ trigger.body }}')),
    expected: [
      'warning 6:18 `trigger.body` is only set when a Webhook trigger starts the execution, and this flow has no trigger; in other executions it is undefined (guard it: `trigger.body ?? …`)',
    ],
  },
  {
    name: 'a misspelt root variable',
    text: flow(LOG('a', '{{ input.taxi }}'), INPUTS),
    expected: ['warning 13:18 unknown variable `input` (did you mean `inputs`?)'],
  },
  {
    name: 'an undeclared input in a flow output',
    text: flow(LOG('a', 'x')) + 'outputs:\n  - id: o\n    type: STRING\n    value: "{{ inputs.nope }}"\n',
    expected: ['warning 10:16 no input `nope` is declared'],
  },
  {
    name: 'an undeclared input inside a multi-line script',
    text: flow(
      '  - id: s\n    type: io.kestra.plugin.scripts.python.Script\n    script: |\n      print("start")\n      print("{{ inputs.colour }}")\n',
      INPUTS,
    ),
    expected: ['warning 15:17 no input `colour` is declared'],
  },
];

describe('static checks of expressions in flow validate', () => {
  it('has twenty seeded reference mistakes', () => {
    expect(SEEDED.length).toBeGreaterThanOrEqual(20);
  });

  it.each(SEEDED.map((s) => [s.name, s] as const))('finds %s', (_name, s) => {
    expect(found(s.text)).toEqual(s.expected);
  });

  it('raises no alarm in the examples', () => {
    const dir = 'examples/flows';
    for (const file of readdirSync(dir)) {
      expect(found(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
    }
  });

  it('accepts what is deliberate: guarded reads, loops, earlier tasks, DAG dependencies, flowable conditions', () => {
    const ok = [
      flow(LOG('a', "{{ trigger.date ?? 'manual' }}")),
      flow(LOG('a', "{{ trigger.date | default('manual') }}")),
      flow(LOG('a', '{% if trigger.body is defined %}{{ trigger.body }}{% endif %}')),
      flow(LOG('a', 'x') + LOG('b', '{{ outputs.a.value }}')),
      flow(LOG('a', 'x', '    dependsOn: []\n') + LOG('b', '{{ outputs.a.value }}', '    dependsOn: [a]\n')),
      flow(LOG('a', '{{ inputs.db.port }} {{ inputs.cfg.any.key }} {{ inputs.taxi }}'), INPUTS),
      flow(LOG('a', '{% for x in [1, 2] %}{{ x }}{{ loop.index }}{% endfor %}{% set y = 1 %}{{ y }}')),
      flow(
        '  - id: loop\n    type: io.kestra.plugin.core.flow.LoopUntil\n    condition: "{{ outputs.check.value == \'ok\' }}"\n    tasks:\n' +
          '      - id: check\n        type: io.kestra.plugin.core.debug.Return\n        format: ok\n',
      ),
      flow(LOG('a', 'x') + 'errors:\n' + LOG('onError', "{{ outputs.a.value ?? 'none' }} {{ outputs.a }}")),
      flow(
        LOG(
          'a',
          "{{ flow.id }} {{ execution.id }} {{ taskrun.id }} {{ labels }} {{ envs.home ?? '' }} {{ workingDir }}",
        ),
      ),
      flow(LOG('a', '{{ kv.gcp_project_id }}')),
    ];
    for (const text of ok) expect(found(text), text).toEqual([]);
  });

  it("reads a plugin trigger's variables from the outputs it declares (BigQuery rows, Cloud Storage blobs)", () => {
    const bigquery =
      'triggers:\n  - id: poll\n    type: io.kestra.plugin.gcp.bigquery.Trigger\n    sql: SELECT 1\n    fetchType: FETCH\n';
    const gcs =
      'triggers:\n  - id: watch\n    type: io.kestra.plugin.gcp.gcs.Trigger\n    from: gs://b/in/\n    action: NONE\n';
    expect(found(flow(LOG('a', '{{ trigger.rows }} {{ trigger.jobId }}')) + bigquery)).toEqual([]);
    expect(found(flow(LOG('a', '{{ trigger.blobs }}')) + gcs)).toEqual([]);
    expect(found(flow(LOG('a', '{{ trigger.blobs }}')) + bigquery)).toHaveLength(1);
  });

  it("knows ForEachItem's three parts, whose outputs later tasks read", () => {
    const each =
      '  - id: each\n    type: io.kestra.plugin.core.flow.ForEachItem\n    items: "{{ outputs.w.uri }}"\n    namespace: n\n    flowId: child\n';
    const write = '  - id: w\n    type: io.kestra.plugin.core.storage.Write\n    content: x\n';
    const reads =
      '{{ outputs.each_split.splits }} {{ outputs.each_items.numberOfBatches }} {{ outputs.each_merge.subflowOutputs }}';
    expect(found(flow(write + each + LOG('after', reads)))).toEqual([]);
    expect(found(flow(write + each + LOG('after', '{{ outputs.each_itms.numberOfBatches }}')))).toHaveLength(
      1,
    );
  });

  it('reports syntax errors and unknown filters as warnings (Kestra saves the flow), at their place in the string', () => {
    const text = flow(LOG('a', 'Hello {{ inputs.taxi | uper }}') + LOG('b', 'oops {{ 1 + }}'), INPUTS);
    expect(found(text)).toEqual([
      'warning 13:38 unknown filter `uper` (did you mean `upper`?) (the task fails when it renders this)',
      'warning 16:27 unexpected `}}`: an expression is missing (the task fails when it renders this)',
    ]);
  });

  it('does not look into properties Kestra does not render', () => {
    expect(
      found(
        flow(
          '  - id: a\n    type: io.kestra.plugin.core.log.Log\n    description: "Uses {{ unknown | filter }}"\n    message: hi\n',
        ),
      ),
    ).toEqual([]);
  });
});
