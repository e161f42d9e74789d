/**
 * The DataTalksClub module-2 dbt flows (test/fixtures/zoomcamp, as the course writes them):
 * they validate unchanged, and their dbt task runs with the stand-in `dbt` (fake-dbt.mjs, a
 * TEST DOUBLE) once its Docker runner is swapped for a local process, and the git sync reads
 * a local repository (no Docker engine, no internet here).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemsOf } from '../../helpers.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { logsOf } from '../scripts/support.js';
import { fakeDbtOnPath, taxiProject } from './support.js';

const fixture = (name: string) => readFileSync(`test/fixtures/zoomcamp/${name}`, 'utf8');
/** Errors and warnings of a flow, as `LINE severity message`. */
const problems = (source: string) => problemsOf(source).map((p) => `${p.line} ${p.severity} ${p.message}`);

describe('the course dbt flows validate unchanged, without warnings', () => {
  it.each(['03_postgres_dbt.yaml', '07_gcp_dbt.yaml'])('%s', (name) => {
    expect(problems(fixture(name))).toEqual([]);
  });

  it('03_postgres_dbt with the Docker runner in host network mode', () => {
    const source = fixture('03_postgres_dbt.yaml').replace(
      '      extraHosts:\n        - "host.docker.internal:host-gateway"\n',
      '      networkMode: host\n',
    );
    expect(source).toContain('networkMode: host');
    expect(problems(source)).toEqual([]);
  });
});

describe("03_postgres_dbt's tasks run", () => {
  let rt: TestRuntime;
  let restorePath: () => void;
  let repo: string;
  beforeAll(async () => {
    restorePath = fakeDbtOnPath();
    rt = await startTestRuntime();
    // The course repository's dbt project folder, in a local repository.
    repo = mkdtempSync(join(tmpdir(), 'wh-dbt-repo-'));
    for (const [path, content] of Object.entries(taxiProject())) {
      const file = join(repo, '04-analytics-engineering/taxi_rides_ny', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'taxi_rides_ny');
  });
  afterAll(async () => {
    await rt.dispose();
    restorePath();
    rmSync(repo, { recursive: true, force: true });
  });

  /** The course flow with a local process for Docker and the local repository for GitHub. */
  function locally(): string {
    const source = fixture('03_postgres_dbt.yaml')
      .replace(
        '      type: io.kestra.plugin.scripts.runner.docker.Docker\n      extraHosts:\n        - "host.docker.internal:host-gateway"\n',
        '      type: io.kestra.plugin.core.runner.Process\n',
      )
      .replace('url: https://github.com/DataTalksClub/data-engineering-zoomcamp', `url: file://${repo}`);
    expect(source).not.toContain('docker.Docker');
    expect(source).not.toContain('url: https://github.com');
    return source;
  }

  it('syncs the dbt project, runs dbt deps then the chosen command, and keeps the manifest in KV', async () => {
    const build = await rt.run(locally());
    expect(statesOf(build)).toEqual({ sync: 'SUCCESS', 'dbt-build': 'SUCCESS' });
    expect(outputsOf(build, 'dbt-build')?.runResults).toHaveLength(4);
    expect((await rt.store.kvGet('zoomcamp', 'manifest.json'))?.type).toBe('JSON');

    const debug = await rt.run(locally(), { dbt_command: 'dbt debug' });
    expect(statesOf(debug)).toEqual({ sync: 'SUCCESS', 'dbt-build': 'SUCCESS' });
    const logs = await logsOf(rt, debug, 'dbt-build');
    expect(logs).toContain('INFO All checks passed!');
    expect(logs.join('\n')).not.toContain('k3str4');
  });
});
