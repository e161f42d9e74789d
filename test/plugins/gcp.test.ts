import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GCP_PLUGINS } from '../../src/plugins/gcp/index.js';
import { catalog } from '../../src/plugins/registry.js';
import {
  errorsOf,
  exampleFlow,
  firstTask,
  flowWithTask,
  problemsOf,
  validateYaml,
  warningsOf,
} from '../helpers.js';
import { exampleWarnings } from '../helpers.js';

const GCS = 'io.kestra.plugin.gcp.gcs';
const BQ = 'io.kestra.plugin.gcp.bigquery';

describe('gcp examples', () => {
  for (const plugin of GCP_PLUGINS) {
    for (const example of plugin.examples ?? []) {
      it(`${plugin.type}: ${example.title}`, () => {
        const text = exampleFlow(example.code);
        expect(errorsOf(text)).toEqual([]);
        expect(exampleWarnings(example.code)).toEqual([]);
      });
    }
  }

  it('every alias property names the Kestra property it maps onto', () => {
    for (const plugin of GCP_PLUGINS) {
      for (const [name, prop] of Object.entries(plugin.properties)) {
        if (!prop.info.aliasOf) continue;
        expect(plugin.properties[prop.info.aliasOf], `${plugin.type}.${name}`).toBeDefined();
        expect(prop.info.description, `${plugin.type}.${name}`).toMatch(/course-notes/i);
      }
    }
  });
});

describe('gcp alias types', () => {
  it.each([
    [
      'io.kestra.plugin.gcp.storage.Upload',
      `${GCS}.Upload`,
      '    from: "{{ inputs.file }}"\n    to: gs://b/x.csv',
    ],
    ['io.kestra.plugin.gcp.storage.Copy', `${GCS}.Copy`, '    from: gs://b/a.csv\n    to: gs://b/b.csv'],
    ['io.kestra.plugin.gcp.storage.CreateBucket', `${GCS}.CreateBucket`, '    name: my-bucket'],
    [
      'io.kestra.plugin.gcp.bigquery.LoadFromGCS',
      `${BQ}.LoadFromGcs`,
      '    from: [gs://b/x.parquet]\n    destinationTable: ds.t\n    format: PARQUET',
    ],
  ])('%s is %s', (alias, canonical, body) => {
    expect(catalog.lookup('task', alias)?.type).toBe(canonical);
    const text = flowWithTask(alias, body);
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)?.type).toBe(canonical);
  });
});

describe('gcs.Upload', () => {
  it('needs from and to', () => {
    expect(errorsOf(flowWithTask(`${GCS}.Upload`, '    to: gs://b/x'))).toEqual([
      `4:5 missing required property \`from\` on ${GCS}.Upload`,
    ]);
    expect(errorsOf(flowWithTask(`${GCS}.Upload`, '    from: kestra:///x'))).toEqual([
      `4:5 missing required property \`to\` on ${GCS}.Upload`,
    ]);
  });

  it('maps bucket + a relative to onto a gs:// URI (course notes)', () => {
    const text = flowWithTask(
      'io.kestra.plugin.gcp.storage.Upload',
      `    projectId: "{{ kv.gcp_project_id }}"
    bucket: "{{ kv.gcp_bucket_name }}"
    from: "/local/data/taxi_trips.csv"
    to: "raw/taxi_trips/{{ vars.execution_date }}/data.csv"`,
    );
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)).toEqual({
      id: 't',
      type: `${GCS}.Upload`,
      projectId: '{{ kv.gcp_project_id }}',
      from: '/local/data/taxi_trips.csv',
      to: 'gs://{{ kv.gcp_bucket_name }}/raw/taxi_trips/{{ vars.execution_date }}/data.csv',
    });
  });

  it('drops a leading slash of to, and a gs:// prefix or trailing slash of bucket', () => {
    const text = flowWithTask(
      `${GCS}.Upload`,
      '    bucket: gs://my-bucket/\n    from: kestra:///f\n    to: /dir/f.csv',
    );
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)?.to).toBe('gs://my-bucket/dir/f.csv');
    expect(firstTask(text)).not.toHaveProperty('bucket');
  });

  it('warns of a bucket with a to that is already a gs:// URI, and ignores it', () => {
    // A warning: pluginDefaults often give `bucket` to every GCP task (DataTalksClub flows).
    const text = flowWithTask(`${GCS}.Upload`, '    bucket: b\n    from: kestra:///f\n    to: gs://b/f.csv');
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '6:5 `to` is already a full `gs://` URI, so `bucket` is not used (remove it, or make `to` a path inside the bucket)',
    ]);
    expect(firstTask(text)).not.toHaveProperty('bucket');
  });

  it('reports a to that is not a gs:// URI when there is no bucket', () => {
    expect(errorsOf(flowWithTask(`${GCS}.Upload`, '    from: kestra:///f\n    to: raw/f.csv'))).toEqual([
      '7:9 `to` must be a `gs://bucket/path` URI, got `raw/f.csv` (or give `bucket`, the course-notes form, with `to` a path inside it)',
    ]);
    expect(
      errorsOf(flowWithTask(`${GCS}.Upload`, '    from: kestra:///f\n    to: "raw/{{ vars.day }}/f.csv"')),
    ).toHaveLength(1);
    expect(
      errorsOf(flowWithTask(`${GCS}.Upload`, '    from: kestra:///f\n    to: "{{ vars.destination }}"')),
    ).toEqual([]);
  });
});

describe('other gcs tasks', () => {
  it.each([
    ['Download', '    from: gs://b/f.csv', 'from'],
    ['Copy', '    from: gs://b/a\n    to: gs://b/b', 'from'],
    ['CreateBucket', '    name: b', 'name'],
    ['List', '    from: gs://b/dir/', 'from'],
    ['Delete', '    uri: gs://b/f.csv', 'uri'],
  ])('gcs.%s is valid, and needs %s', (name, body, required) => {
    const type = `${GCS}.${name}`;
    expect(errorsOf(flowWithTask(type, body))).toEqual([]);
    const without = body
      .split('\n')
      .filter((line) => !line.trimStart().startsWith(`${required}:`))
      .join('\n');
    expect(errorsOf(flowWithTask(type, without || '    projectId: p'))).toEqual([
      `4:5 missing required property \`${required}\` on ${type}`,
    ]);
  });

  it('reports object URIs that are not gs://', () => {
    expect(errorsOf(flowWithTask(`${GCS}.Download`, '    from: s3://b/f.csv'))).toEqual([
      '6:11 `from` must be a `gs://bucket/path` URI, got `s3://b/f.csv`',
    ]);
    expect(errorsOf(flowWithTask(`${GCS}.Copy`, '    from: gs://b/f\n    to: gs://b/f'))).toEqual([
      '7:9 `to` is the same object as `from`',
    ]);
  });

  it('checks the enums of CreateBucket and List', () => {
    expect(errorsOf(flowWithTask(`${GCS}.CreateBucket`, '    name: b\n    ifExists: skip'))[0]).toContain(
      '(did you mean `SKIP`?)',
    );
    expect(
      errorsOf(flowWithTask(`${GCS}.List`, '    from: gs://b/\n    listingType: RECURSIV'))[0],
    ).toContain('(did you mean `RECURSIVE`?)');
  });
});

describe('bigquery.Query', () => {
  it('needs sql', () => {
    expect(errorsOf(flowWithTask(`${BQ}.Query`, '    projectId: p'))).toEqual([
      `4:5 missing required property \`sql\` on ${BQ}.Query`,
    ]);
  });

  it('maps dataset onto defaultDataset, and destination onto a qualified destinationTable', () => {
    const text = flowWithTask(
      `${BQ}.Query`,
      `    projectId: "{{ kv.gcp_project_id }}"
    dataset: "{{ kv.gcp_dataset }}"
    sql: SELECT 1
    destination: "{{ vars.table_name }}_raw"`,
    );
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)).toEqual({
      id: 't',
      type: `${BQ}.Query`,
      projectId: '{{ kv.gcp_project_id }}',
      sql: 'SELECT 1',
      defaultDataset: '{{ kv.gcp_dataset }}',
      destinationTable: '{{ kv.gcp_dataset }}.{{ vars.table_name }}_raw',
    });
  });

  it('keeps a destination that names its dataset, and one without a known dataset', () => {
    const qualified = flowWithTask(
      `${BQ}.Query`,
      '    dataset: ds\n    sql: SELECT 1\n    destination: other.t',
    );
    expect(firstTask(qualified)?.destinationTable).toBe('other.t');
    const bare = flowWithTask(`${BQ}.Query`, '    sql: SELECT 1\n    destination: t');
    expect(firstTask(bare)).toMatchObject({ destinationTable: 't' });
    expect(firstTask(bare)).not.toHaveProperty('destination');
  });

  it('reports an alias given together with its Kestra property', () => {
    expect(
      errorsOf(flowWithTask(`${BQ}.Query`, '    dataset: a\n    defaultDataset: b\n    sql: SELECT 1')),
    ).toEqual(['6:5 `dataset` is the course-notes name of `defaultDataset`; give only one of them']);
  });

  it('checks fetchType and the deprecated fetch flags', () => {
    expect(errorsOf(flowWithTask(`${BQ}.Query`, '    sql: SELECT 1\n    fetchType: FETCHONE'))[0]).toContain(
      '(did you mean `FETCH_ONE`?)',
    );
    expect(
      errorsOf(flowWithTask(`${BQ}.Query`, '    sql: SELECT 1\n    fetch: true\n    store: true')),
    ).toEqual(['8:5 `store` cannot be combined with `fetch` or `fetchOne`; use one `fetchType`']);
    expect(
      errorsOf(flowWithTask(`${BQ}.Query`, '    sql: SELECT 1\n    fetch: true\n    destinationTable: d.t')),
    ).toEqual(['7:5 `fetch` cannot be combined with a destination table; use `fetchType` instead']);
  });
});

describe('bigquery.LoadFromGcs', () => {
  it('maps a single from, dataset and table (course notes)', () => {
    const text = flowWithTask(
      'io.kestra.plugin.gcp.bigquery.LoadFromGCS',
      `    projectId: "{{ kv.gcp_project_id }}"
    dataset: "{{ kv.gcp_dataset }}"
    table: "taxi_trips_raw"
    from: "gs://{{ kv.gcp_bucket_name }}/raw/taxi_trips/*/data.csv"
    format: "CSV"
    csvOptions:
      skipLeadingRows: 1`,
    );
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)).toEqual({
      id: 't',
      type: `${BQ}.LoadFromGcs`,
      projectId: '{{ kv.gcp_project_id }}',
      from: ['gs://{{ kv.gcp_bucket_name }}/raw/taxi_trips/*/data.csv'],
      destinationTable: '{{ kv.gcp_dataset }}.taxi_trips_raw',
      format: 'CSV',
      csvOptions: { skipLeadingRows: 1 },
    });
  });

  it('takes table alone as the destinationTable, and leaves a whole-expression from as is', () => {
    const text = flowWithTask(
      `${BQ}.LoadFromGcs`,
      '    table: ds.t\n    from: "{{ outputs.list.uris }}"\n    format: AVRO',
    );
    expect(errorsOf(text)).toEqual([]);
    expect(firstTask(text)).toMatchObject({ destinationTable: 'ds.t', from: '{{ outputs.list.uris }}' });
    expect(firstTask(text)).not.toHaveProperty('table');
  });

  it('needs a destination, and dataset needs table', () => {
    expect(
      errorsOf(flowWithTask(`${BQ}.LoadFromGcs`, '    from: [gs://b/f.json]\n    format: JSON')),
    ).toEqual([`4:5 missing required property \`destinationTable\` on ${BQ}.LoadFromGcs`]);
    expect(
      errorsOf(
        flowWithTask(`${BQ}.LoadFromGcs`, '    dataset: ds\n    from: [gs://b/f.json]\n    format: JSON'),
      ),
    ).toEqual([
      '6:5 `dataset` (course notes) needs `table`; or write `destinationTable: <dataset>.<table>` instead',
    ]);
  });

  it('reports CSV without csvOptions, and sources that are not gs://', () => {
    expect(
      errorsOf(
        flowWithTask(
          `${BQ}.LoadFromGcs`,
          '    destinationTable: d.t\n    from: [gs://b/f.csv]\n    format: CSV',
        ),
      ),
    ).toEqual(['8:13 `format: CSV` needs `csvOptions` (write `csvOptions: {}` to keep the defaults)']);
    expect(
      errorsOf(
        flowWithTask(
          `${BQ}.LoadFromGcs`,
          '    destinationTable: d.t\n    from: [kestra:///f.json]\n    format: JSON',
        ),
      ),
    ).toEqual(['7:12 `from[0]` must be a `gs://bucket/path` URI, got `kestra:///f.json`']);
  });

  it('refuses unknown csvOptions keys', () => {
    expect(
      errorsOf(
        flowWithTask(
          `${BQ}.LoadFromGcs`,
          '    destinationTable: d.t\n    from: [gs://b/f.csv]\n    format: CSV\n    csvOptions:\n      skipRows: 1',
        ),
      )[0],
    ).toContain('unknown property `skipRows` in `csvOptions`');
  });
});

describe('other bigquery tasks', () => {
  it.each([
    [
      'Load',
      '    from: "{{ inputs.file }}"\n    destinationTable: d.t\n    format: JSON',
      'destinationTable',
    ],
    ['CreateDataset', '    name: analytics\n    ifExists: SKIP', 'name'],
    ['CreateTable', '    dataset: d\n    table: t', 'table'],
  ])('bigquery.%s is valid, and needs %s', (name, body, required) => {
    const type = `${BQ}.${name}`;
    expect(errorsOf(flowWithTask(type, body))).toEqual([]);
    const without = body
      .split('\n')
      .filter((line) => !line.trimStart().startsWith(`${required}:`))
      .join('\n');
    expect(errorsOf(flowWithTask(type, without))).toEqual([
      `4:5 missing required property \`${required}\` on ${type}`,
    ]);
  });
});

describe('course flows', () => {
  const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
  const OURS = /^io\.kestra\.plugin\.(gcp|jdbc|databases)\./;

  /** The course flows and fragments, as flow YAML (fragments without `id` wrapped into a flow). */
  function courseFiles(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const dir of ['course', 'course-fragments']) {
      for (const file of readdirSync(join(FIXTURES, dir))
        .filter((f) => f.endsWith('.yaml'))
        .sort()) {
        let text = readFileSync(join(FIXTURES, dir, file), 'utf8');
        if (!/^id:/m.test(text)) text = `id: fragment\nnamespace: course.fragments\n${text}`;
        out.push([`${dir}/${file}`, text]);
      }
    }
    return out;
  }

  /** The written type of the task (or trigger) a problem path points into. */
  function typeAt(doc: unknown, path: readonly (string | number)[]): string | undefined {
    let node: unknown = doc;
    let type: string | undefined;
    for (const segment of path) {
      if (typeof node !== 'object' || node === null) break;
      node = (node as Record<string | number, unknown>)[segment];
      const written = (node as { type?: unknown } | null)?.type;
      if (typeof node === 'object' && node !== null && typeof written === 'string') type = written;
    }
    return type;
  }

  it.each(courseFiles())('%s has no error about a GCP or JDBC task', (_name, text) => {
    const doc: unknown = parse(text);
    const ours = problemsOf(text).filter(
      (p) => p.severity === 'error' && (OURS.test(typeAt(doc, p.path) ?? '') || OURS.test(p.message)),
    );
    expect(ours.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([]);
  });

  // Python script tasks belong to the scripts family; once it is there, the whole file is clean.
  const scriptsKnown = catalog.lookup('task', 'io.kestra.plugin.scripts.python.Script') !== undefined;
  it.runIf(scriptsKnown).each(courseFiles())('%s validates with no error at all', (_name, text) => {
    expect(errorsOf(text)).toEqual([]);
  });

  it.runIf(scriptsKnown)('validated course flows hold only canonical types and Kestra properties', () => {
    const aliasProps: Record<string, string[]> = {
      [`${GCS}.Upload`]: ['bucket'],
      [`${BQ}.Query`]: ['dataset', 'destination'],
      [`${BQ}.LoadFromGcs`]: ['dataset', 'table'],
    };
    for (const [name, text] of courseFiles()) {
      for (const t of validateYaml(text).flows[0]?.flow?.tasks ?? []) {
        expect(catalog.lookup('task', t.type)?.type, `${name}: ${t.id}`).toBe(t.type);
        for (const prop of aliasProps[t.type] ?? []) expect(t, `${name}: ${t.id}`).not.toHaveProperty(prop);
      }
    }
  });

  it('uses each course alias at least once', () => {
    const all = courseFiles()
      .map(([, text]) => text)
      .join('\n');
    for (const alias of [
      'io.kestra.plugin.gcp.storage.Upload',
      'io.kestra.plugin.gcp.storage.Copy',
      'io.kestra.plugin.gcp.storage.CreateBucket',
      'io.kestra.plugin.gcp.bigquery.LoadFromGCS',
      'io.kestra.plugin.databases.sql.Query',
    ]) {
      expect(all).toContain(alias);
    }
  });
});
