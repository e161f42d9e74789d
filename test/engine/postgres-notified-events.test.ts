/**
 * An executor in one process and a worker in another, on PostgreSQL: a worker's result reaches
 * the executor in the notification of its commit, and the executor steps the executions it
 * leases from it, without claiming the event back (a statement fewer per task). Three runtimes
 * in this process stand for the three processes (the multi-process test runs them as OS
 * processes); each has its own pool and LISTEN connection, as separate processes would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { Runtime } from '../../src/engine/runtime/runtime.js';
import type { RuntimeRoles } from '../../src/engine/runtime/cluster.js';
import type { ClusterRole } from '../../src/store/contract.js';
import { LocalStorage } from '../../src/storage/local.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { PostgresStore } from '../../src/store/postgres/index.js';
import { createPostgresStoreTemplate } from '../support/postgres-store.js';

const databases = await createPostgresStoreTemplate('notified');
const closing: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await databases.dropClones();
});

afterAll(async () => {
  await databases.dispose();
});

const CHAIN = `id: chain
namespace: test.notified
tasks:
${Array.from(
  { length: 10 },
  (_, i) => `  - id: t${i}
    type: io.kestra.plugin.core.debug.Return
    format: "{{ ${i === 0 ? "'a'" : `outputs.t${i - 1}.value ~ 'a'`} }}"`,
).join('\n')}
`;

/** A runtime of the given roles on its own store (pool and LISTEN) on `url`. */
async function member(
  url: string,
  dir: string,
  id: string,
  roles: RuntimeRoles,
  clusterRoles: ClusterRole[],
): Promise<{ runtime: Runtime; store: PostgresStore }> {
  const store = await openPostgresStore(url, { poolSize: 4 });
  const runtime = new Runtime({
    store,
    storage: new LocalStorage(join(dir, 'storage')),
    workRoot: join(dir, `work-${id}`),
    roles,
    cluster: { id, exclusive: false, roles: clusterRoles, heartbeatMs: 500 },
    wakeUps: (topics, onWake) => store.listen(topics, onWake),
  });
  await runtime.start();
  closing.push(async () => {
    await runtime.stop(1000);
    await store.close();
  });
  return { runtime, store };
}

describe.skipIf(!databases.available)(
  `events notified to the executor${databases.available ? '' : ` (skipped: ${databases.reason})`}`,
  () => {
    it('steps the results of executions it leases from their notifications, claiming only new executions', async () => {
      const url = await databases.clone();
      const dir = await mkdtemp(join(tmpdir(), 'wh-notified-'));
      closing.push(() => rm(dir, { recursive: true, force: true }));
      const executor = await member(url, dir, 'exec', { executor: true, worker: false }, ['executor']);
      await member(url, dir, 'work', { executor: false, worker: true }, ['worker']);
      const client = await member(url, dir, 'web', { executor: false, worker: false }, ['webserver']);

      // Counts the executor's claims of events (the store itself is real).
      let claims = 0;
      const claimEvents = executor.store.claimEvents.bind(executor.store);
      executor.store.claimEvents = (executorId, limit) => {
        claims++;
        return claimEvents(executorId, limit);
      };

      const flow = await deployFlow(client.store, CHAIN);
      for (let run = 0; run < 3; run++) {
        const before = claims;
        const submitted = await client.runtime.submit(flow);
        const ended = await client.runtime.waitForEnd(submitted.id);
        expect(ended.state.current).toBe('SUCCESS');
        expect(ended.taskRunList.map((r) => r.outputs?.value)).toEqual(
          Array.from({ length: 10 }, (_, i) => 'a'.repeat(i + 1)),
        );
        // The start is claimed (it leases the execution); the ten results come notified. Without
        // this path it is one claim per event: 11.
        expect(claims - before).toBeLessThanOrEqual(3);
      }
      expect(await executor.store.pendingEvents(10)).toEqual([]);
      expect(await executor.store.countJobs()).toEqual({ pending: 0, claimed: 0 });
    });
  },
);
