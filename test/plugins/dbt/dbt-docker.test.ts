/**
 * DbtCLI with the Docker task runner on a real engine (test/support/docker.ts: a private
 * dockerd and a locally built busybox image; no registry is reachable, so no dbt image). The
 * `dbt` in the container is a TEST DOUBLE, a shell script given as an input file, that checks
 * that `profiles.yml` is in its working directory and writes dbt's two artifacts: what is
 * tested is the task's part around a container, which reads them back from the shared
 * working directory. Skipped, with the reason, where no engine can run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { TEST_IMAGE, testDocker } from '../../support/docker.js';
import type { TestDocker } from '../../support/docker.js';
import { logsOf } from '../scripts/support.js';
import { indent, postgresProfile } from './support.js';

/** The stand-in dbt of the container (TEST DOUBLE): dbt's JSON log lines and artifacts. */
const CONTAINER_DBT = `#!/bin/sh
test -f profiles.yml || { echo '{"info": {"level": "error", "msg": "Could not find profile named default"}}'; exit 2; }
echo '{"info": {"level": "info", "msg": "Running with dbt=1.8.7 in a container: '"$*"'"}, "data": {}}'
mkdir -p target
cat > target/manifest.json <<'EOF'
{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "invocation_id": "in-container"}, "nodes": {}, "sources": {}, "parent_map": {}, "child_map": {}}
EOF
cat > target/run_results.json <<'EOF'
{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "invocation_id": "in-container"}, "elapsed_time": 0.5, "results": [{"status": "success", "timing": [], "thread_id": "Thread-1", "execution_time": 0.25, "adapter_response": {"_message": "SELECT 5", "rows_affected": 5}, "message": "SELECT 5", "failures": null, "unique_id": "model.taxi_rides_ny.fact_trips", "compiled": true, "compiled_code": "select 1", "relation_name": "fact_trips"}]}
EOF
`;

const engine: TestDocker = await testDocker();

describe.skipIf(!engine.available)(
  engine.available ? 'DbtCLI in a container' : `DbtCLI in a container (skipped: ${engine.reason})`,
  () => {
    let rt: TestRuntime;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'wh-dbt-docker-'));
      rt = await startTestRuntime({ env: { ...process.env, DOCKER_HOST: engine.host } }, dataDir);
    });
    afterAll(async () => {
      await rt?.dispose();
      await engine.removeContainersUnder(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('writes profiles.yml into the shared working directory and reads the artifacts back', async () => {
      const e = await rt.run(`id: dbt_docker
namespace: test.dbt.docker
tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.DbtCLI
    containerImage: ${TEST_IMAGE}
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicy: NEVER
    inputFiles:
      bin/dbt: |
${indent(CONTAINER_DBT, 8)}
    beforeCommands:
      - chmod +x bin/dbt
      - export PATH="$PWD/bin:$PATH"
    storeManifest:
      key: manifest.json
      namespace: test.dbt.docker
    commands:
      - dbt build
    profiles: |
${indent(postgresProfile())}
`);
      expect(statesOf(e)).toEqual({ dbt: 'SUCCESS' });
      expect(outputsOf(e, 'dbt')?.runResults).toEqual([
        {
          uniqueId: 'model.taxi_rides_ny.fact_trips',
          status: 'success',
          executionTime: 0.25,
          rowsAffected: 5,
          message: 'SELECT 5',
        },
      ]);
      const logs = await logsOf(rt, e, 'dbt');
      expect(logs).toEqual(
        expect.arrayContaining([
          'INFO Running with dbt=1.8.7 in a container: build --log-format json --log-path logs',
          'INFO model.taxi_rides_ny.fact_trips => success in 0.25s, 5 rows affected',
        ]),
      );
      const kept = (await rt.store.kvGet('test.dbt.docker', 'manifest.json'))?.value as {
        metadata: { invocation_id: string };
      };
      expect(kept.metadata.invocation_id).toBe('in-container');
    });
  },
);
