/**
 * The dbt tasks through the real runtime, with a stand-in `dbt` on PATH (fake-dbt.mjs, a TEST
 * DOUBLE: dbt cannot be installed here) that reads the project and writes dbt's real
 * `run_results.json` and `manifest.json`. The task, its process, files, KV and logs are real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../../src/engine/model.js';
import type { InternalStorage } from '../../../src/storage/contract.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, logsOf, PROCESS } from '../scripts/support.js';
import { fakeDbtOnPath, indent, postgresProfile, putNamespaceFiles, taxiProject } from './support.js';

let rt: TestRuntime;
let storage: InternalStorage;
let restorePath: () => void;
beforeAll(async () => {
  restorePath = fakeDbtOnPath();
  rt = await startTestRuntime({ workerConcurrency: 2 });
  storage = rt.runtime.storage;
});
afterAll(async () => {
  await rt.dispose();
  restorePath();
});

let flows = 0;
/** A flow of one DbtCLI task `dbt` in `namespace`, with the course's profile unless `profiles` is given. */
function dbtFlow(namespace: string, extra: string, profiles = postgresProfile()): string {
  flows++;
  return `id: dbt_${flows}
namespace: ${namespace}
tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.DbtCLI
${PROCESS}    namespaceFiles:
      enabled: true
${extra}${profiles === '' ? '' : `    profiles: |\n${indent(profiles)}\n`}`;
}

interface Result {
  uniqueId: string;
  status: string;
  executionTime: number;
  rowsAffected?: number;
  failures?: number;
  message?: string;
}

const resultsOf = (e: Execution) => outputsOf(e, 'dbt')?.runResults as Result[] | undefined;
const statusesOf = (e: Execution) =>
  Object.fromEntries((resultsOf(e) ?? []).map((r) => [r.uniqueId, r.status]));
const fileText = async (uri: unknown) => (await storage.readBuffer(String(uri))).toString('utf8');

describe('DbtCLI', () => {
  it("runs the commands on the namespace files and reports every node's status in outputs and logs", async () => {
    await putNamespaceFiles(storage, 'test.dbt.build', taxiProject());
    const e = await rt.run(
      dbtFlow(
        'test.dbt.build',
        `    env:
      DBT_SCHEMA: public
    commands:
      - dbt deps
      - dbt build
`,
      ),
    );
    expect(statesOf(e)).toEqual({ dbt: 'SUCCESS' });
    expect(resultsOf(e)).toEqual([
      expect.objectContaining({
        uniqueId: 'seed.taxi_rides_ny.taxi_zone_lookup',
        status: 'success',
        rowsAffected: 3,
      }),
      expect.objectContaining({
        uniqueId: 'model.taxi_rides_ny.stg_green_tripdata',
        status: 'success',
        rowsAffected: 1200,
      }),
      expect.objectContaining({
        uniqueId: 'model.taxi_rides_ny.fact_trips',
        status: 'success',
        rowsAffected: 1100,
      }),
      expect.objectContaining({ uniqueId: 'test.taxi_rides_ny.assert_positive_fares', status: 'pass' }),
    ]);
    const outputs = outputsOf(e, 'dbt')!;
    expect(outputs.exitCode).toBe(0);
    const files = outputs.outputFiles as Record<string, string>;
    const runResults = JSON.parse(await fileText(files['run_results.json'])) as {
      metadata: { invocation_id: string };
    };
    const manifest = JSON.parse(await fileText(files['manifest.json'])) as {
      metadata: { invocation_id: string };
      nodes: Record<string, unknown>;
    };
    expect(manifest.metadata.invocation_id).toBe(runResults.metadata.invocation_id);
    expect(Object.keys(manifest.nodes)).toContain('model.taxi_rides_ny.fact_trips');

    const logs = await logsOf(rt, e, 'dbt');
    // One line per node: unique id, status, time, rows.
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^INFO model\.taxi_rides_ny\.stg_green_tripdata => success in \d+\.\d\ds, 1200 rows affected$/,
        ),
        expect.stringMatching(
          /^INFO model\.taxi_rides_ny\.fact_trips => success in \d+\.\d\ds, 1100 rows affected$/,
        ),
        expect.stringMatching(/^INFO test\.taxi_rides_ny\.assert_positive_fares => pass in \d+\.\d\ds$/),
        // dbt's structured log lines are logged as their message, at their level.
        'INFO Installing dbt-labs/dbt_utils',
        'INFO Done. PASS=4 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=4',
      ]),
    );
    expect(logs.filter((l) => l.includes('{"data"'))).toEqual([]);
  });

  it('fails clearly when a model fails, with its error, and keeps the results', async () => {
    await putNamespaceFiles(
      storage,
      'test.dbt.fail',
      taxiProject({
        'models/staging/stg_green_tripdata.sql':
          'select * from green_tripdata\n-- fake-dbt: error relation "public.green_tripdata" does not exist\n',
      }),
    );
    const e = await rt.run(dbtFlow('test.dbt.fail', '    commands:\n      - dbt build\n'));
    expect(statesOf(e)).toEqual({ dbt: 'FAILED' });
    const error = await errorOf(rt, e, 'dbt');
    expect(error).toContain('exit code 1');
    expect(error).toContain('model.taxi_rides_ny.stg_green_tripdata');
    expect(error).toContain('relation "public.green_tripdata" does not exist');
    expect(statusesOf(e)).toEqual({
      'seed.taxi_rides_ny.taxi_zone_lookup': 'success',
      'model.taxi_rides_ny.stg_green_tripdata': 'error',
      'model.taxi_rides_ny.fact_trips': 'skipped',
      'test.taxi_rides_ny.assert_positive_fares': 'skipped',
    });
    const outputs = outputsOf(e, 'dbt')!;
    expect(outputs.exitCode).toBe(1);
    expect(Object.keys(outputs.outputFiles as object).sort()).toEqual(['manifest.json', 'run_results.json']);
    expect(await logsOf(rt, e, 'dbt')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ERROR model\.taxi_rides_ny\.stg_green_tripdata => error in \d+\.\d\ds$/),
        'INFO model.taxi_rides_ny.fact_trips => skipped',
      ]),
    );
  });

  it('a failing test fails the task with the failing rows', async () => {
    await putNamespaceFiles(
      storage,
      'test.dbt.test',
      taxiProject({
        'tests/assert_positive_fares.sql': "select * from {{ ref('fact_trips') }}\n-- fake-dbt: fail 3\n",
      }),
    );
    const e = await rt.run(dbtFlow('test.dbt.test', '    commands:\n      - dbt build\n'));
    expect(statesOf(e)).toEqual({ dbt: 'FAILED' });
    expect(await errorOf(rt, e, 'dbt')).toContain(
      'test.taxi_rides_ny.assert_positive_fares => fail (3 failures)',
    );
    expect(resultsOf(e)?.at(-1)).toEqual(
      expect.objectContaining({
        uniqueId: 'test.taxi_rides_ny.assert_positive_fares',
        status: 'fail',
        failures: 3,
      }),
    );
  });

  it('dbt errors before any node ran (no profile found) are the task error', async () => {
    await putNamespaceFiles(storage, 'test.dbt.noprofile', taxiProject());
    const e = await rt.run(dbtFlow('test.dbt.noprofile', '    commands:\n      - dbt build\n', ''));
    expect(statesOf(e)).toEqual({ dbt: 'FAILED' });
    const error = await errorOf(rt, e, 'dbt');
    expect(error).toContain('exit code 2');
    expect(error).toContain("Could not find profile named 'default'");
  });

  it('writes profiles.yml where dbt finds it, from text or a map, also with projectDir', async () => {
    await putNamespaceFiles(storage, 'test.dbt.projectdir', taxiProject(), 'dbt/');
    const e = await rt.run(
      dbtFlow(
        'test.dbt.projectdir',
        `    projectDir: dbt
    commands:
      - dbt build
    profiles:
      default:
        target: dev
        outputs:
          dev:
            type: duckdb
            path: ":memory:"
`,
        '',
      ),
    );
    expect(statesOf(e)).toEqual({ dbt: 'SUCCESS' });
    expect(Object.keys(statusesOf(e))).toHaveLength(4);
    // dbt found the profile in the working directory (its current directory), not in the project.
    expect(await logsOf(rt, e, 'dbt')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INFO Using profiles\.yml file at .*[^/]\/profiles\.yml$/),
      ]),
    );
    const logs = (await logsOf(rt, e, 'dbt')).join('\n');
    expect(logs).not.toMatch(/dbt\/profiles\.yml/);
  });

  it('storeManifest keeps the manifest in KV; loadManifest gives it back for --state on the next run', async () => {
    const ns = 'test.dbt.state';
    await putNamespaceFiles(storage, ns, taxiProject());
    const store = `    storeManifest:
      key: manifest.json
      namespace: "{{ flow.namespace }}"
`;
    const first = await rt.run(dbtFlow(ns, `${store}    commands:\n      - dbt build\n`));
    expect(statesOf(first)).toEqual({ dbt: 'SUCCESS' });
    const kept = await rt.store.kvGet(ns, 'manifest.json');
    expect(kept?.type).toBe('JSON');
    const firstManifest = JSON.parse(
      await fileText((outputsOf(first, 'dbt')!.outputFiles as Record<string, string>)['manifest.json']),
    ) as { metadata: { invocation_id: string } };
    expect((kept?.value as { metadata: { invocation_id: string } }).metadata.invocation_id).toBe(
      firstManifest.metadata.invocation_id,
    );

    // Nothing changed: the state comparison selects nothing, which dbt logs as a warning.
    const stateRun = `${store}    loadManifest:
      key: manifest.json
      namespace: ${ns}
    commands:
      - dbt build --select state:modified+ --state target
`;
    const second = await rt.run(dbtFlow(ns, stateRun));
    expect(statesOf(second)).toEqual({ dbt: 'WARNING' });
    expect(await logsOf(rt, second, 'dbt')).toEqual(
      expect.arrayContaining([
        `INFO [fake-dbt test double] --state target: comparing with the manifest of invocation ${firstManifest.metadata.invocation_id}`,
        'WARN Nothing to do. Try checking your model configs and model specification args',
      ]),
    );
    expect(resultsOf(second)).toEqual([]);

    // One model changed: it and what depends on it run, compared with the second run's manifest.
    await putNamespaceFiles(storage, ns, {
      'models/core/fact_trips.sql':
        "{{ config(materialized='table') }}\nselect 2 from {{ ref('stg_green_tripdata') }}\n",
    });
    const third = await rt.run(dbtFlow(ns, stateRun));
    expect(statusesOf(third)).toEqual({
      'model.taxi_rides_ny.fact_trips': 'success',
      'test.taxi_rides_ny.assert_positive_fares': 'pass',
    });
    const secondId = (
      (await rt.store.kvGet(ns, 'manifest.json'))?.value as { metadata: { invocation_id: string } }
    ).metadata.invocation_id;
    expect(secondId).not.toBe(firstManifest.metadata.invocation_id);
  });

  it('loadManifest with nothing in KV warns and runs', async () => {
    await putNamespaceFiles(storage, 'test.dbt.nostate', taxiProject());
    const e = await rt.run(
      dbtFlow(
        'test.dbt.nostate',
        `    loadManifest:
      key: manifest.json
      namespace: test.dbt.nostate
    commands:
      - dbt build
`,
      ),
    );
    expect(statesOf(e)).toEqual({ dbt: 'SUCCESS' });
    expect(await logsOf(rt, e, 'dbt')).toContain(
      'WARN Property `loadManifest` has been used but no manifest has been found in the KV Store.',
    );
  });

  it('masks the secrets of profiles in logs, the error and outputs', async () => {
    const password = 'pg-Pa55word-zoomcamp';
    await putNamespaceFiles(
      storage,
      'test.dbt.mask',
      taxiProject({ 'models/staging/stg_green_tripdata.sql': 'select 1\n-- fake-dbt: error-with-dsn\n' }),
    );
    const e = await rt.run(
      dbtFlow('test.dbt.mask', '    commands:\n      - dbt build\n', postgresProfile(password)),
    );
    expect(statesOf(e)).toEqual({ dbt: 'FAILED' });
    const logs = (await logsOf(rt, e, 'dbt')).join('\n');
    expect(logs).toContain('postgresql://kestra:******@');
    expect(logs).not.toContain(password);
    expect(await errorOf(rt, e, 'dbt')).toContain('postgresql://kestra:******@');
    expect(JSON.stringify(outputsOf(e, 'dbt'))).not.toContain(password);
    expect(JSON.stringify(e)).not.toContain(password);
  });

  it('a timeout stops dbt, as it stops any script task', async () => {
    await putNamespaceFiles(
      storage,
      'test.dbt.timeout',
      taxiProject({ 'models/core/fact_trips.sql': 'select 1\n-- fake-dbt: sleep 30\n' }),
    );
    // dbt would sleep 30 s: the test's own timeout fails it if the task's does not stop dbt.
    const e = await rt.run(
      dbtFlow('test.dbt.timeout', '    timeout: PT2S\n    commands:\n      - dbt build\n'),
    );
    expect(statesOf(e).dbt).toMatch(/FAILED|KILLED/);
    expect(await logsOf(rt, e, 'dbt')).toEqual(
      expect.arrayContaining([expect.stringMatching(/START sql view model public\.fact_trips/)]),
    );
  });

  it('a dbt JSON log line at warn ends the task in WARNING', async () => {
    await putNamespaceFiles(
      storage,
      'test.dbt.warn',
      taxiProject({
        'tests/assert_positive_fares.sql': "select * from {{ ref('fact_trips') }}\n-- fake-dbt: warn 2\n",
      }),
    );
    const e = await rt.run(dbtFlow('test.dbt.warn', '    commands:\n      - dbt build\n'));
    expect(statesOf(e)).toEqual({ dbt: 'WARNING' });
    expect(await logsOf(rt, e, 'dbt')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^WARN test\.taxi_rides_ny\.assert_positive_fares => warn in \d+\.\d\ds \(2 failures\)$/,
        ),
      ]),
    );
  });
});

describe('Build, Run and Test', () => {
  it('Build runs `dbt build` with the profile in .profile, passing --profiles-dir and the selection', async () => {
    await putNamespaceFiles(storage, 'test.dbt.legacy', taxiProject());
    const e = await rt.run(`id: dbt_legacy
namespace: test.dbt.legacy
tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.Build
${PROCESS}    namespaceFiles:
      enabled: true
    select:
      - stg_green_tripdata+
    exclude:
      - assert_positive_fares
    profiles: |
${indent(postgresProfile())}
`);
    expect(statesOf(e)).toEqual({ dbt: 'SUCCESS' });
    expect(statusesOf(e)).toEqual({
      'model.taxi_rides_ny.stg_green_tripdata': 'success',
      'model.taxi_rides_ny.fact_trips': 'success',
    });
    expect(await logsOf(rt, e, 'dbt')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INFO Using profiles\.yml file at .*\/\.profile\/profiles\.yml$/),
      ]),
    );
  });

  it('Test runs only the tests, and Run only the models', async () => {
    await putNamespaceFiles(storage, 'test.dbt.legacy2', taxiProject());
    const e = await rt.run(`id: dbt_legacy2
namespace: test.dbt.legacy2
tasks:
  - id: run
    type: io.kestra.plugin.dbt.cli.Run
${PROCESS}    namespaceFiles:
      enabled: true
    profiles: |
${indent(postgresProfile())}
  - id: test
    type: io.kestra.plugin.dbt.cli.Test
${PROCESS}    namespaceFiles:
      enabled: true
    profiles: |
${indent(postgresProfile())}
`);
    expect(statesOf(e)).toEqual({ run: 'SUCCESS', test: 'SUCCESS' });
    const ids = (taskId: string) => (outputsOf(e, taskId)?.runResults as Result[]).map((r) => r.uniqueId);
    expect(ids('run')).toEqual(['model.taxi_rides_ny.stg_green_tripdata', 'model.taxi_rides_ny.fact_trips']);
    expect(ids('test')).toEqual(['test.taxi_rides_ny.assert_positive_fares']);
  });
});
