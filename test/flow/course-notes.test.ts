import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsOf, problemsOf, validateYaml } from '../helpers.js';

/**
 * The course notes Windhover's users learnt Kestra from (../shared/seed/…). Their YAML blocks
 * are kept in test/fixtures: complete flows in course/, task-list fragments in
 * course-fragments/, and sketches that are not flows (no tasks) in course-incomplete/.
 */
const SEED = '../shared/seed/000_641e01ddd184c0da.txt';

function files(dir: string): Array<[string, string]> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

const complete = files('test/fixtures/course');
const fragments = files('test/fixtures/course-fragments');
const incomplete = files('test/fixtures/course-incomplete');

describe('the course notes', () => {
  it.runIf(existsSync(SEED))('fixtures are the YAML blocks of the notes, unchanged', () => {
    const blocks = [...readFileSync(SEED, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    for (const [name, text] of [...complete, ...incomplete, ...fragments]) {
      if (name === 'user_input_flow_with_tasks.yaml') continue; // two blocks joined, checked below
      expect(blocks, name).toContain(text);
    }
  });

  it('has seven complete flows', () => {
    expect(complete.map(([name]) => name)).toEqual([
      'complete_gcp_etl.yaml',
      'etl_pipeline.yaml',
      'gcp_bigquery_job.yaml',
      'gcp_integrated_pipeline.yaml',
      'gcp_workflow.yaml',
      'taxi_data_daily_pipeline.yaml',
      'workflow_with_variables.yaml',
    ]);
  });

  it.each(complete)('%s validates as written, without errors', (_name, text) => {
    expect(errorsOf(text)).toEqual([]);
  });

  it('warns only about the real mistake of the notes: a variable the flow does not declare', () => {
    const warnings = Object.fromEntries(
      complete.map(([name, text]) => [
        name,
        problemsOf(text)
          .filter((p) => p.severity === 'warning')
          .map((p) => `${p.line}:${p.column} ${p.message}`),
      ]),
    );
    expect(warnings).toEqual({
      'complete_gcp_etl.yaml': [],
      'etl_pipeline.yaml': [],
      'gcp_bigquery_job.yaml': [],
      'gcp_integrated_pipeline.yaml': ['12:28 no variable `execution_date` is declared in `variables`'],
      'gcp_workflow.yaml': [],
      'taxi_data_daily_pipeline.yaml': [],
      'workflow_with_variables.yaml': [],
    });
  });

  it.each(fragments)('the tasks of fragment %s validate inside a flow', (_name, text) => {
    const flow = text.startsWith('id:') ? text : `id: fragment\nnamespace: course.notes\n${text}`;
    expect(errorsOf(flow)).toEqual([]);
  });

  it('the sketches without tasks are not flows, and say exactly why', () => {
    const found = Object.fromEntries(incomplete.map(([name, text]) => [name, errorsOf(text)]));
    expect(found).toEqual({
      'concurrent_workflow.yaml': ['1:1 missing required property `tasks` on the flow'],
      'daily_data_refresh.yaml': ['1:1 missing required property `tasks` on the flow'],
      'data_processing_pipeline.yaml': ['1:1 missing required property `tasks` on the flow'],
      'unique_flow_identifier.yaml': [
        '5:9 `inputs` must be a list of inputs, got a map',
        '7:8 `tasks` must hold at least one task',
      ],
      'user_input_flow.yaml': ['1:1 missing required property `tasks` on the flow'],
    });
  });

  it('maps the course names onto Kestra types', () => {
    const types = complete.flatMap(([, text]) => validateYaml(text).flows[0]!.flow!.tasks.map((t) => t.type));
    expect(new Set(types)).toEqual(
      new Set([
        'io.kestra.plugin.scripts.python.Script',
        'io.kestra.plugin.gcp.gcs.Upload',
        'io.kestra.plugin.gcp.gcs.Copy',
        'io.kestra.plugin.gcp.gcs.CreateBucket',
        'io.kestra.plugin.gcp.bigquery.LoadFromGcs',
        'io.kestra.plugin.gcp.bigquery.Query',
        'io.kestra.plugin.jdbc.postgresql.Query',
      ]),
    );
  });
});

describe('every alias of DESIGN.md, and its canonical name, validates', () => {
  const cases: Array<[string, string, string]> = [
    [
      'io.kestra.plugin.scripts.bash.Commands',
      'io.kestra.plugin.scripts.shell.Commands',
      'commands: [echo hi]',
    ],
    [
      'io.kestra.plugin.gcp.storage.Upload',
      'io.kestra.plugin.gcp.gcs.Upload',
      'from: /tmp/a.csv\n    to: gs://b/a.csv',
    ],
    [
      'io.kestra.plugin.gcp.storage.Copy',
      'io.kestra.plugin.gcp.gcs.Copy',
      'from: gs://b/a.csv\n    to: gs://b/c.csv',
    ],
    ['io.kestra.plugin.gcp.storage.CreateBucket', 'io.kestra.plugin.gcp.gcs.CreateBucket', 'name: my-bucket'],
    [
      'io.kestra.plugin.gcp.bigquery.LoadFromGCS',
      'io.kestra.plugin.gcp.bigquery.LoadFromGcs',
      'from: [gs://b/a.csv]\n    destinationTable: d.t\n    format: JSON',
    ],
    ['io.kestra.plugin.http.Request', 'io.kestra.plugin.core.http.Request', 'uri: https://example.com'],
    [
      'io.kestra.plugin.slack.Send',
      'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
      'url: https://hooks.slack.com/x\n    messageText: hi',
    ],
  ];
  it.each(cases)('%s → %s', (alias, canonical, props) => {
    for (const type of [alias, canonical]) {
      const text = `id: f\nnamespace: company.team\ntasks:\n  - id: t\n    type: ${type}\n    ${props}\n`;
      expect(
        problemsOf(text).map((p) => p.message),
        type,
      ).toEqual([]);
      expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe(canonical);
    }
  });

  it('databases.sql.Query with a jdbc: URL becomes the Query of that database', () => {
    const urls = {
      'jdbc:postgresql://localhost:5432/db': 'io.kestra.plugin.jdbc.postgresql.Query',
      'jdbc:mysql://localhost:3306/db': 'io.kestra.plugin.jdbc.mysql.Query',
      'jdbc:sqlite:/tmp/db.sqlite': 'io.kestra.plugin.jdbc.sqlite.Query',
      'jdbc:duckdb:': 'io.kestra.plugin.jdbc.duckdb.Query',
    };
    for (const [url, canonical] of Object.entries(urls)) {
      const text = `id: f\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.databases.sql.Query\n    url: "${url}"\n    sql: SELECT 1\n`;
      expect(errorsOf(text), url).toEqual([]);
      expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe(canonical);
    }
  });
});
