/**
 * A real Docker engine for the Docker task runner's tests: WINDHOVER_TEST_DOCKER_HOST when set,
 * else the private engine of .ci/dockerd.sh (started here when it is not running: root and
 * Debian's docker.io needed), with the test image built locally by docker-test-image.sh (no
 * registry is reachable). Where no engine can run, the tests skip with the reason, unless
 * WINDHOVER_TEST_REQUIRE_DOCKER=1 (set by .ci/run), which fails the run instead.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DockerApiError, DockerEngine, dockerEndpoint } from '../../src/plugins/scripts/run/docker-engine.js';
import { TASK_RUN_LABEL } from '../../src/plugins/scripts/run/docker-container.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const REQUIRED = process.env.WINDHOVER_TEST_REQUIRE_DOCKER === '1';

/** The image the tests run: busybox and python3, imported from a root file system. */
export const TEST_IMAGE = 'windhover-test/python:1';

export interface TestDocker {
  /** False when no engine can run here (tests skip with `reason`). */
  available: boolean;
  reason: string;
  /** The engine's DOCKER_HOST (`unix:///…`). */
  host: string;
  engine: DockerEngine;
  /** Containers (running or not) of Windhover task runs whose mounts are under `folder`. */
  containersUnder(folder: string): Promise<Array<{ Id: string; State: string }>>;
  /** Removes them (a test that failed half-way must not leave a container running). */
  removeContainersUnder(folder: string): Promise<void>;
}

/** The test engine, started and given the test image when needed. */
export async function testDocker(): Promise<TestDocker> {
  let host = process.env.WINDHOVER_TEST_DOCKER_HOST;
  try {
    host ??= (await run('bash', [join(ROOT, '.ci', 'dockerd.sh')], { timeout: 60_000 })).stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return unavailable(`no Docker engine can run here: ${stderr || String(error)}`);
  }
  const engine = new DockerEngine(dockerEndpoint(host, undefined));
  try {
    await engine.json({ method: 'GET', path: '/version' });
  } catch (error) {
    return unavailable(error instanceof Error ? error.message : String(error));
  }
  try {
    await engine.json({ method: 'GET', path: `/images/${TEST_IMAGE}/json` }).catch(async (error: unknown) => {
      if (!(error instanceof DockerApiError && error.status === 404)) throw error;
      await run('bash', [join(ROOT, 'test', 'support', 'docker-test-image.sh'), TEST_IMAGE], {
        env: { ...process.env, DOCKER_HOST: host },
        timeout: 120_000,
      });
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return unavailable(`the test image could not be built on ${host}: ${stderr || String(error)}`);
  }
  const containersUnder = async (folder: string) => {
    const filters = encodeURIComponent(JSON.stringify({ label: [TASK_RUN_LABEL] }));
    const all = await engine.json<Array<{ Id: string; State: string; Mounts: Array<{ Source: string }> }>>({
      method: 'GET',
      path: `/containers/json?all=1&filters=${filters}`,
    });
    return all.filter((c) => c.Mounts.some((m) => m.Source.startsWith(folder)));
  };
  // Containers of test runs that died half-way (their data folder is gone): never left running.
  for (const leftover of await containersUnder('/')) {
    if (leftover.Mounts.every((m) => !existsSync(m.Source)))
      await engine
        .json({ method: 'DELETE', path: `/containers/${leftover.Id}?force=1` })
        .catch(() => undefined);
  }
  return {
    available: true,
    reason: '',
    host,
    engine,
    containersUnder,
    async removeContainersUnder(folder) {
      for (const c of await containersUnder(folder))
        await engine.json({ method: 'DELETE', path: `/containers/${c.Id}?force=1` }).catch(() => undefined);
    },
  };
}

function unavailable(reason: string): TestDocker {
  if (REQUIRED) throw new Error(`${reason}; WINDHOVER_TEST_REQUIRE_DOCKER=1 requires it (see .ci/run)`);
  console.warn(`skipping the Docker task runner tests: ${reason}`);
  const none = () => Promise.resolve([]);
  return {
    available: false,
    reason,
    host: '',
    engine: new DockerEngine({ socketPath: '/nonexistent' }),
    containersUnder: none,
    removeContainersUnder: () => Promise.resolve(),
  };
}
