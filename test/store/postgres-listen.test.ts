/**
 * Wake-ups on PostgreSQL (LISTEN/NOTIFY): a process waiting for executor events or worker jobs
 * is woken by commits of any other process, never by one rolled back, and its listener
 * survives a lost connection. Each test on a database cloned from a migrated template.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../src/store/contract.js';
import type { StoredEvent } from '../../src/store/contract.js';
import type { ExecutorEvent } from '../../src/engine/executor/types.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { PostgresStore, WakeTopic } from '../../src/store/postgres/index.js';
import { createPostgresStoreTemplate, withClient } from '../support/postgres-store.js';
import { T0, execution, job, jobResult, step, timer } from './builders.js';

const databases = await createPostgresStoreTemplate('listen');
const stores: PostgresStore[] = [];

/** Opens a store on `url`, closed after the test. */
async function open(url: string): Promise<PostgresStore> {
  const store = await openPostgresStore(url, { poolSize: 4 });
  stores.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await databases.dropClones();
});

afterAll(async () => {
  await databases.dispose();
});

describe.skipIf(!databases.available)(
  `postgres wake-ups${databases.available ? '' : ` (skipped: ${databases.reason})`}`,
  () => {
    describe('wake-ups (LISTEN/NOTIFY)', () => {
      /** Records the topics a listener is woken for; `next(topic)` resolves at the next such wake. */
      const recorder = () => {
        const seen: WakeTopic[] = [];
        const waiting: Array<{ topic: WakeTopic; resolve: () => void }> = [];
        const onWake = (topic: WakeTopic) => {
          seen.push(topic);
          for (const w of waiting.splice(0)) {
            if (w.topic === topic) w.resolve();
            else waiting.push(w);
          }
        };
        const next = (topic: WakeTopic) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${topic} wake-up within 3 s`)), 3000);
            waiting.push({
              topic,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          });
        const quiet = async (ms = 300) => {
          const before = seen.length;
          await new Promise((r) => setTimeout(r, ms));
          return seen.slice(before);
        };
        return { seen, onWake, next, quiet };
      };

      it('wakes a listener on another pool when events or jobs are committed, not when rolled back', async () => {
        const url = await databases.clone();
        const writer = await open(url);
        const waiter = await open(url);
        const wakes = recorder();
        await waiter.listen(['events', 'jobs'], wakes.onWake);
        await writer.createExecution(execution('e1'), []);
        expect(await wakes.quiet()).toEqual([]); // no event, no job: nothing to look at

        let woken = wakes.next('events');
        await writer.appendEvents([{ executionId: 'e1', event: { kind: 'start' } }]);
        await woken;

        woken = wakes.next('jobs');
        await writer.commitSteps([step(execution('e1'), { jobs: [job('e1', 'j1')] })]);
        await woken;

        // A stale commit rolls back: its job and its wake-up are gone together.
        await expect(
          writer.commitSteps([
            step(execution('e1'), {
              jobs: [job('e1', 'j2')],
              events: [{ executionId: 'e1', event: { kind: 'kill' } }],
            }),
          ]),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await wakes.quiet()).toEqual([]);

        // Claiming wakes no one; releasing makes jobs claimable again, so it does.
        await writer.claimJobs('w1', 5);
        expect(await wakes.quiet()).toEqual([]);
        woken = wakes.next('jobs');
        expect(await writer.releaseJobs('w1')).toBe(1);
        await woken;
        expect(await writer.releaseJobs('w1')).toBe(0);
        expect(await wakes.quiet()).toEqual([]);

        // A completed job queues its result event.
        await writer.claimJobs('w1', 5);
        woken = wakes.next('events');
        await writer.completeJobs([
          { jobId: 'j1', event: { executionId: 'e1', event: jobResult('tr-j1') }, logs: [] },
        ]);
        await woken;

        // Fired timers are events too.
        await writer.commitSteps([step(execution('e1', { version: 2 }), { timers: [timer('e1', 't', T0)] })]);
        woken = wakes.next('events');
        expect(await writer.fireDueTimers(new Date())).toBe(1);
        await woken;
      });

      it('wakes the schedulers when a flow is saved, revised or deleted, not when it is unchanged', async () => {
        const url = await databases.clone();
        const writer = await open(url);
        const waiter = await open(url);
        const wakes = recorder();
        await waiter.listen(['flows'], wakes.onWake);
        const flow = (source: string) => ({ namespace: 'n', id: 'f', source, definition: {} });

        let woken = wakes.next('flows');
        await writer.saveFlow(flow('id: f\nnamespace: n\n'));
        await woken;
        expect(await wakes.quiet()).toEqual([]);
        await writer.saveFlow(flow('id: f\nnamespace: n\n')); // the same source: no revision
        expect(await wakes.quiet()).toEqual([]);
        woken = wakes.next('flows');
        await writer.saveFlow(flow('id: f\nnamespace: n\ndescription: two\n'));
        await woken;
        woken = wakes.next('flows');
        expect(await writer.deleteFlow('n', 'f')).toBe(true);
        await woken;
        expect(await writer.deleteFlow('n', 'f')).toBe(false);
        expect(await wakes.quiet()).toEqual([]);
      });

      it('carries the events a statement queued when they fit, and only wakes for a bigger batch', async () => {
        const url = await databases.clone();
        const writer = await open(url);
        const waiter = await open(url);
        const carried: Array<StoredEvent[] | undefined> = [];
        let arrived: () => void = () => {};
        await waiter.listen(['events'], (_topic, events) => {
          carried.push(events);
          arrived();
        });
        const nextWake = () => new Promise<void>((resolve) => (arrived = resolve));
        await writer.createExecution(execution('e1'), []);

        let woken = nextWake();
        await writer.appendEvents([
          { executionId: 'e1', event: { kind: 'start' } },
          { executionId: 'e1', event: jobResult('tr1') },
        ]);
        await woken;
        // As the store holds them: the same seqs, in queue order.
        expect(carried.pop()).toEqual(await writer.pendingEvents(10));

        woken = nextWake();
        const big: ExecutorEvent = {
          ...jobResult('tr2'),
          result: { state: 'SUCCESS', outputs: { value: 'x'.repeat(8000) } },
        } as ExecutorEvent;
        await writer.appendEvents([{ executionId: 'e1', event: big }]);
        await woken;
        expect(carried.pop()).toBeUndefined();
        expect((await writer.pendingEvents(10)).map((e) => e.event)).toContainEqual(big);
      });

      it('reconnects after its connection is killed, and wakes its waiter once for what it missed', async () => {
        const url = await databases.clone();
        const store = await open(url);
        const wakes = recorder();
        const errors: Error[] = [];
        await store.listen(['jobs'], wakes.onWake, { retryMs: 50, onError: (e) => errors.push(e) });
        const reconnected = wakes.next('jobs');
        await withClient(url, async (client) => {
          const { rows } = await client.query<{ ended: boolean }>(
            `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
           WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
          );
          expect(rows).toEqual([{ ended: true }]);
        });
        await reconnected;
        expect(errors.length).toBeGreaterThan(0);
        await store.createExecution(execution('e1'), []);
        const woken = wakes.next('jobs');
        await store.commitSteps([step(execution('e1'), { jobs: [job('e1', 'j1')] })]);
        await woken;
      });
    });
  },
);
