/**
 * Docker task runner overhead: a flow of 10 sequential `shell.Commands` tasks running `echo` in a
 * container (Docker runner, `pullPolicy: NEVER`) through the real runtime on the embedded store,
 * versus `docker run --rm IMAGE echo` 10 times in a row with the docker CLI on the same engine,
 * measured in the same run. Overhead per task = (flow time − CLI time) / 10, median over the
 * runs. The engine is the private one of .ci/dockerd.sh, the image the tests' (built locally).
 * Run: npm run bench:docker [-- --runs N]. Needs root and Debian's docker.io.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { deployFlow, openLocal } from '../src/engine/runtime/index.js';
import type { LocalSetup } from '../src/engine/runtime/index.js';
import type { Flow } from '../src/flow/model.js';
import { median } from './stats.js';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
const TASKS = 10;
const IMAGE = 'windhover-test/python:1';
const root = join(import.meta.dirname, '..');

const host = execFileSync('bash', [join(root, '.ci', 'dockerd.sh')], { encoding: 'utf8' }).trim();
const dockerEnv = { ...process.env, DOCKER_HOST: host };
try {
  execFileSync('docker', ['image', 'inspect', IMAGE], { env: dockerEnv, stdio: 'ignore' });
} catch {
  execFileSync('bash', [join(root, 'test', 'support', 'docker-test-image.sh'), IMAGE], { env: dockerEnv });
}

function flowSource(): string {
  const tasks = Array.from(
    { length: TASKS },
    (_, i) =>
      `  - id: t${i}\n    type: io.kestra.plugin.scripts.shell.Commands\n    containerImage: ${IMAGE}\n    taskRunner:\n      type: io.kestra.plugin.scripts.runner.docker.Docker\n      pullPolicy: NEVER\n    commands: [echo]`,
  );
  return `id: docker_chain\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

/** `docker run --rm IMAGE echo` 10 times; total ms. */
function viaCli(): number {
  const start = performance.now();
  for (let i = 0; i < TASKS; i++) execFileSync('docker', ['run', '--rm', IMAGE, 'echo'], { env: dockerEnv });
  return performance.now() - start;
}

/** One execution of the 10-task flow, submit to end; total ms. */
async function viaWindhover(setup: LocalSetup, flow: Flow): Promise<number> {
  const start = performance.now();
  const execution = await setup.runtime.submit(flow);
  const ended = await setup.runtime.waitForEnd(execution.id);
  const ms = performance.now() - start;
  if (ended.state.current !== 'SUCCESS') throw new Error(`execution ended ${ended.state.current}`);
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'wh-bench-docker-'));
const setup = await openLocal(dir, { env: dockerEnv });
try {
  await setup.runtime.start();
  const flow = await deployFlow(setup.store, flowSource());
  viaCli(); // warm-up: the engine's caches, the page cache of the image's layers
  await viaWindhover(setup, flow);
  const cli: number[] = [];
  const windhover: number[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(viaCli());
    windhover.push(await viaWindhover(setup, flow));
  }
  const overhead = windhover.map((w, i) => (w - cli[i]!) / TASKS);
  const fmt = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB, Node.js ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const engineVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    env: dockerEnv,
    encoding: 'utf8',
  }).trim();
  console.log(`engine: Docker ${engineVersion} at ${host}; ${runs} runs of ${TASKS} containers each`);
  console.log(`| measurement | median | runs (ms) |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| Windhover, ${TASKS} Docker tasks | ${median(windhover).toFixed(0)} ms | ${fmt(windhover)} |`,
  );
  console.log(`| baseline: \`docker run --rm\` × ${TASKS} | ${median(cli).toFixed(0)} ms | ${fmt(cli)} |`);
  console.log(`| overhead per task | ${median(overhead).toFixed(0)} ms | ${fmt(overhead)} |`);
} finally {
  await setup.close(1000);
  rmSync(dir, { recursive: true, force: true });
}
