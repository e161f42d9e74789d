/**
 * The DataTalksClub module-2 dbt flows (test/fixtures/zoomcamp, as the course writes them):
 * they validate unchanged, and their dbt task runs with the stand-in `dbt` (fake-dbt.mjs, a
 * TEST DOUBLE) once its Docker runner is swapped for a local process and the git sync is left
 * out (no Docker engine, no internet here).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../src/plugins/registry.js';
import { errorsOf } from '../../helpers.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { logsOf } from '../scripts/support.js';
import { fakeDbtOnPath, putNamespaceFiles, taxiProject } from './support.js';

const fixture = (name: string) => readFileSync(`test/fixtures/zoomcamp/${name}`, 'utf8');
const SYNC_TYPE = 'io.kestra.plugin.git.SyncNamespaceFiles';

/**
 * The errors of a flow, less the one about the git sync task while its plugin (built by
 * another piece of issue 21) is not in the catalog yet: once it is, every error counts.
 */
function errorsBesideGit(source: string): string[] {
  const errors = errorsOf(source);
  if (catalog.lookup('task', SYNC_TYPE)) return errors;
  return errors.filter((e) => !e.includes(SYNC_TYPE));
}

describe('the course dbt flows validate unchanged', () => {
  it.each(['03_postgres_dbt.yaml', '07_gcp_dbt.yaml'])('%s', (name) => {
    expect(errorsBesideGit(fixture(name))).toEqual([]);
  });

  it('03_postgres_dbt with the Docker runner in host network mode', () => {
    const source = fixture('03_postgres_dbt.yaml').replace(
      '      extraHosts:\n        - "host.docker.internal:host-gateway"\n',
      '      networkMode: host\n',
    );
    expect(source).toContain('networkMode: host');
    expect(errorsBesideGit(source)).toEqual([]);
  });
});

describe("03_postgres_dbt's dbt task runs", () => {
  let rt: TestRuntime;
  let restorePath: () => void;
  beforeAll(async () => {
    restorePath = fakeDbtOnPath();
    rt = await startTestRuntime();
  });
  afterAll(async () => {
    await rt.dispose();
    restorePath();
  });

  /** The course flow with a local process for Docker and without the git sync. */
  function locally(): string {
    const source = fixture('03_postgres_dbt.yaml')
      .replace(
        '      type: io.kestra.plugin.scripts.runner.docker.Docker\n      extraHosts:\n        - "host.docker.internal:host-gateway"\n',
        '      type: io.kestra.plugin.core.runner.Process\n',
      )
      .replace(/ {2}- id: sync\n[\s\S]*?\n\n/, '');
    expect(source).not.toContain('docker.Docker');
    expect(source).not.toContain('- id: sync');
    return source;
  }

  it('dbt deps then the chosen command, with the manifest kept in KV', async () => {
    await putNamespaceFiles(rt.runtime.storage, 'zoomcamp', taxiProject());
    const build = await rt.run(locally());
    expect(statesOf(build)).toEqual({ 'dbt-build': 'SUCCESS' });
    expect(outputsOf(build, 'dbt-build')?.runResults).toHaveLength(4);
    expect((await rt.store.kvGet('zoomcamp', 'manifest.json'))?.type).toBe('JSON');

    const debug = await rt.run(locally(), { dbt_command: 'dbt debug' });
    expect(statesOf(debug)).toEqual({ 'dbt-build': 'SUCCESS' });
    const logs = await logsOf(rt, debug, 'dbt-build');
    expect(logs).toContain('INFO All checks passed!');
    expect(logs.join('\n')).not.toContain('k3str4');
  });
});
