/**
 * The store conformance suite: what every adapter of src/store/contract.ts must do, written
 * against the Store interface only (no SQL, nothing of one adapter), so that the SQLite adapter
 * and the PostgreSQL one pass the same tests. `open` gives a fresh, empty store for each test.
 *
 * Where the contract leaves a choice, the suite fixes it (so both adapters agree); each such
 * test says so in its name or a comment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../src/store/contract.js';
import type { Store } from '../../src/store/contract.js';
import type { Execution } from '../../src/engine/model.js';
import { T0, at, execution, job, jobResult, log, newEvent, step, taskRun, timer } from './builders.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Declares the conformance suite for one adapter. */
export function describeStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('flows', () => {
      const flow = (namespace: string, id: string, source = `id: ${id}\nnamespace: ${namespace}\n`) => ({
        namespace,
        id,
        source,
        definition: { id, namespace, tasks: [{ id: 'hello', type: 'io.kestra.plugin.core.log.Log' }] },
      });

      it('saves the first revision', async () => {
        const saved = await store.saveFlow(flow('company.team', 'hello'));
        expect(saved.created).toBe(true);
        expect(saved.changed).toBe(true);
        expect(saved.flow).toMatchObject({
          namespace: 'company.team',
          id: 'hello',
          revision: 1,
          deleted: false,
        });
        expect(saved.flow.updated).toMatch(ISO_INSTANT);
        const read = await store.getFlow('company.team', 'hello');
        expect(read).toEqual(saved.flow);
        expect(read?.definition).toEqual(flow('company.team', 'hello').definition);
      });

      it('writes a new revision only when the source changed', async () => {
        await store.saveFlow(flow('company.team', 'hello', 'v1'));
        const same = await store.saveFlow(flow('company.team', 'hello', 'v1'));
        expect(same).toMatchObject({ changed: false, created: false, flow: { revision: 1, source: 'v1' } });
        const changed = await store.saveFlow(flow('company.team', 'hello', 'v2'));
        expect(changed).toMatchObject({ changed: true, created: false, flow: { revision: 2, source: 'v2' } });
        expect((await store.getFlow('company.team', 'hello'))?.source).toBe('v2');
        expect((await store.getFlow('company.team', 'hello', 1))?.source).toBe('v1');
        expect(await store.getFlow('company.team', 'hello', 3)).toBeUndefined();
        const revisions = await store.flowRevisions('company.team', 'hello');
        expect(revisions.map((r) => [r.revision, r.source])).toEqual([
          [1, 'v1'],
          [2, 'v2'],
        ]);
      });

      it('misses unknown flows', async () => {
        expect(await store.getFlow('company', 'nope')).toBeUndefined();
        expect(await store.getFlow('company', 'nope', 1)).toBeUndefined();
        expect(await store.flowRevisions('company', 'nope')).toEqual([]);
        expect(await store.deleteFlow('company', 'nope')).toBe(false);
      });

      it('keeps flows of the same id in other namespaces apart', async () => {
        await store.saveFlow(flow('a', 'hello', 'in a'));
        await store.saveFlow(flow('b', 'hello', 'in b'));
        expect((await store.getFlow('a', 'hello'))?.source).toBe('in a');
        expect((await store.getFlow('b', 'hello'))?.source).toBe('in b');
        expect((await store.getFlow('b', 'hello'))?.revision).toBe(1);
      });

      it('deletes a flow: its revisions stay readable, marked deleted (the flow is, not one revision)', async () => {
        await store.saveFlow(flow('company.team', 'hello', 'v1'));
        await store.saveFlow(flow('company.team', 'hello', 'v2'));
        expect(await store.deleteFlow('company.team', 'hello')).toBe(true);
        expect(await store.deleteFlow('company.team', 'hello')).toBe(false);
        expect(await store.getFlow('company.team', 'hello')).toBeUndefined();
        expect(await store.getFlow('company.team', 'hello', 2)).toMatchObject({
          source: 'v2',
          deleted: true,
        });
        expect(await store.getFlow('company.team', 'hello', 1)).toMatchObject({
          source: 'v1',
          deleted: true,
        });
        expect((await store.flowRevisions('company.team', 'hello')).map((r) => r.revision)).toEqual([1, 2]);
        expect((await store.listFlows({})).total).toBe(0);
      });

      it('undeletes a flow saved again, with a new revision even for the same source', async () => {
        await store.saveFlow(flow('company.team', 'hello', 'v1'));
        await store.deleteFlow('company.team', 'hello');
        const saved = await store.saveFlow(flow('company.team', 'hello', 'v1'));
        expect(saved).toMatchObject({ changed: true, created: false, flow: { revision: 2, deleted: false } });
        expect(await store.getFlow('company.team', 'hello')).toMatchObject({ revision: 2, deleted: false });
        expect(await store.getFlow('company.team', 'hello', 1)).toMatchObject({ deleted: false });
        expect((await store.listFlows({})).results.map((f) => f.id)).toEqual(['hello']);
      });

      it('lists the latest revisions by namespace then id', async () => {
        await store.saveFlow(flow('b', 'one'));
        await store.saveFlow(flow('a', 'two'));
        await store.saveFlow(flow('a', 'one', 'first'));
        await store.saveFlow(flow('a', 'one', 'second'));
        const page = await store.listFlows({});
        expect(page.total).toBe(3);
        expect(page.results.map((f) => `${f.namespace}/${f.id}@${f.revision}`)).toEqual([
          'a/one@2',
          'a/two@1',
          'b/one@1',
        ]);
        expect(page.results[0]?.source).toBe('second');
      });

      it('filters by namespace and its children only', async () => {
        for (const ns of [
          'company',
          'company.team',
          'company.team.sub',
          'companyx',
          'company-x',
          'other.company',
        ]) {
          await store.saveFlow(flow(ns, 'f'));
        }
        const names = async (namespace: string) =>
          (await store.listFlows({ namespace })).results.map((f) => f.namespace);
        expect(await names('company')).toEqual(['company', 'company.team', 'company.team.sub']);
        expect(await names('company.team')).toEqual(['company.team', 'company.team.sub']);
        expect(await names('Company')).toEqual([]);
        expect(await names('comp')).toEqual([]);
      });

      it('finds text in the id, the namespace or the source, ignoring case', async () => {
        await store.saveFlow(flow('sales', 'daily_report', 'tasks: []'));
        await store.saveFlow(flow('marketing.reports', 'weekly', 'tasks: []'));
        await store.saveFlow(flow('ops', 'cleanup', 'description: removes old REPORT files'));
        await store.saveFlow(flow('ops', 'other', 'nothing here'));
        const ids = async (query: string, namespace?: string) =>
          (await store.listFlows({ query, ...(namespace === undefined ? {} : { namespace }) })).results.map(
            (f) => f.id,
          );
        expect(await ids('report')).toEqual(['weekly', 'cleanup', 'daily_report']);
        expect(await ids('report', 'ops')).toEqual(['cleanup']);
        expect(await ids('nowhere')).toEqual([]);
      });

      it('takes % and _ in the text literally', async () => {
        await store.saveFlow(flow('ns', 'a_b', 'x'));
        await store.saveFlow(flow('ns', 'axb', 'x'));
        await store.saveFlow(flow('ns', 'percent', '100% done'));
        expect((await store.listFlows({ query: 'a_b' })).results.map((f) => f.id)).toEqual(['a_b']);
        expect((await store.listFlows({ query: '0%' })).results.map((f) => f.id)).toEqual(['percent']);
      });

      it('pages with a total (1-based, 25 by default)', async () => {
        for (let i = 0; i < 30; i++) await store.saveFlow(flow('ns', `f${String(i).padStart(2, '0')}`));
        const first = await store.listFlows({});
        expect(first.total).toBe(30);
        expect(first.results).toHaveLength(25);
        const second = await store.listFlows({ page: 2 });
        expect(second.results.map((f) => f.id)).toEqual(['f25', 'f26', 'f27', 'f28', 'f29']);
        const small = await store.listFlows({ page: 3, size: 4 });
        expect(small.results.map((f) => f.id)).toEqual(['f08', 'f09', 'f10', 'f11']);
        expect(small.total).toBe(30);
        const beyond = await store.listFlows({ page: 9, size: 10 });
        expect(beyond).toEqual({ results: [], total: 30 });
      });
    });

    describe('executions', () => {
      it('creates and reads an execution with its task runs in creation order, at version 1', async () => {
        const created = execution('e1', {
          labels: [{ key: 'team', value: 'data' }],
          trigger: {
            id: 'schedule',
            type: 'io.kestra.plugin.core.trigger.Schedule',
            variables: { date: T0 },
          },
          taskRunList: [
            taskRun('e1', 'z'),
            taskRun('e1', 'a', { parentTaskRunId: 'z', value: 'x', iteration: 0 }),
          ],
          control: { admitted: true },
        });
        await store.createExecution(created, []);
        expect(await store.getExecution('e1')).toEqual(created);
        expect(await store.getExecution('nope')).toBeUndefined();
      });

      it('reads several executions at once, each with its task runs, leaving out those not found', async () => {
        const first = execution('e1', { taskRunList: [taskRun('e1', 'z'), taskRun('e1', 'a')] });
        const second = execution('e2', { state: 'SUCCESS' });
        await store.createExecution(first, []);
        await store.createExecution(second, []);
        const read = await store.getExecutions(['e2', 'nope', 'e1', 'e2']);
        expect(read.sort((a, b) => a.id.localeCompare(b.id))).toEqual([first, second]);
        expect(await store.getExecutions([])).toEqual([]);
      });

      it('queues the events given at creation', async () => {
        await store.createExecution(execution('e1'), [{ kind: 'start' }, { kind: 'kill' }]);
        const events = await store.pendingEvents(10);
        expect(events.map((e) => [e.executionId, e.event])).toEqual([
          ['e1', { kind: 'start' }],
          ['e1', { kind: 'kill' }],
        ]);
      });

      it('discards events that no step will consume', async () => {
        await store.appendEvents([
          { executionId: 'gone', event: { kind: 'start' } },
          { executionId: 'gone', event: { kind: 'kill' } },
        ]);
        const [first, second] = await store.pendingEvents(10);
        await store.discardEvents([first!.seq]);
        expect((await store.pendingEvents(10)).map((e) => e.seq)).toEqual([second!.seq]);
      });

      it('refuses an id that exists', async () => {
        await store.createExecution(execution('e1'), []);
        await expect(store.createExecution(execution('e1'), [{ kind: 'start' }])).rejects.toThrow();
        expect(await store.pendingEvents(10)).toEqual([]);
      });

      it('commits a step: header, task runs, events consumed, jobs, timers, events and logs', async () => {
        await store.createExecution(
          execution('e1', { taskRunList: [taskRun('e1', 'a'), taskRun('e1', 'b')] }),
          [{ kind: 'start' }],
        );
        await store.createExecution(execution('parent'), []);
        const [start] = await store.pendingEvents(10);
        const updatedA = taskRun('e1', 'a', { outputs: { value: 42 } });
        const next = execution('e1', {
          state: 'RUNNING',
          outputs: { done: false },
          labels: [{ key: 'env', value: 'prod' }],
          taskRunList: [updatedA, taskRun('e1', 'c')],
        });
        await store.commitSteps([
          step(next, {
            changedTaskRuns: [taskRun('e1', 'c'), updatedA],
            removedTaskRunIds: ['b'],
            consumedEvents: [start!.seq],
            jobs: [job('e1', 'j1')],
            timers: [timer('e1', 'retry-a', at(5))],
            events: [newEvent('parent', { kind: 'resume' })],
            logs: [log('e1', 'step done')],
          }),
        ]);
        const read = await store.getExecution('e1');
        // An updated task run keeps its place; a new one comes after the existing ones.
        expect(read).toEqual({ ...next, version: 2 });
        const events = await store.pendingEvents(10);
        expect(events.map((e) => [e.executionId, e.event])).toEqual([['parent', { kind: 'resume' }]]);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 0 });
        expect(await store.nextTimerAt()).toEqual(new Date(at(5)));
        expect((await store.getLogs('e1')).map((l) => l.message)).toEqual(['step done']);
      });

      it('places new task runs after the existing ones, in the order given', async () => {
        await store.createExecution(execution('e1', { taskRunList: [taskRun('e1', 'm')] }), []);
        const next = execution('e1', {
          taskRunList: [taskRun('e1', 'm'), taskRun('e1', 'z'), taskRun('e1', 'a')],
        });
        await store.commitSteps([step(next, { changedTaskRuns: [taskRun('e1', 'z'), taskRun('e1', 'a')] })]);
        const again = execution('e1', {
          version: 2,
          taskRunList: [...next.taskRunList, taskRun('e1', 'b')],
        });
        await store.commitSteps([step(again, { changedTaskRuns: [taskRun('e1', 'b'), taskRun('e1', 'm')] })]);
        expect((await store.getExecution('e1'))?.taskRunList.map((t) => t.id)).toEqual(['m', 'z', 'a', 'b']);
      });

      it('commits several steps of one execution in one batch, in order', async () => {
        await store.createExecution(execution('e1'), []);
        const v2 = step(execution('e1', { state: 'RUNNING' }), { changedTaskRuns: [taskRun('e1', 'a')] });
        const v3 = step(execution('e1', { version: 2, state: 'SUCCESS' }), {
          changedTaskRuns: [taskRun('e1', 'a', { outputs: { x: 1 } })],
        });
        await store.commitSteps([v2, v3]);
        const read = await store.getExecution('e1');
        expect(read?.version).toBe(3);
        expect(read?.state.current).toBe('SUCCESS');
        expect(read?.taskRunList).toEqual([taskRun('e1', 'a', { outputs: { x: 1 } })]);
      });

      it('commits a batch of several executions, each with every kind of write, all at once', async () => {
        for (const id of ['a', 'b', 'c']) await store.createExecution(execution(id), [{ kind: 'start' }]);
        const events = await store.pendingEvents(10);
        const seqOf = (id: string) => events.filter((e) => e.executionId === id).map((e) => e.seq);
        const stepOf = (id: string) =>
          step(execution(id, { state: id === 'c' ? 'SUCCESS' : 'RUNNING' }), {
            changedTaskRuns: [taskRun(id, `${id}-1`), taskRun(id, `${id}-2`)],
            consumedEvents: seqOf(id),
            jobs: [job(id, `${id}-job`)],
            timers: [timer(id, 't', at(5))],
            events: [newEvent(id === 'a' ? 'b' : 'a', { kind: 'kill' })],
            logs: [log(id, `${id} line`)],
            ...(id === 'c' ? { transition: 'ended' as const } : {}),
          });
        await store.commitSteps([stepOf('a'), stepOf('b'), stepOf('c')]);
        for (const id of ['a', 'b', 'c']) {
          const stored = await store.getExecution(id);
          expect(stored?.version).toBe(2);
          expect(stored?.taskRunList.map((t) => t.id)).toEqual([`${id}-1`, `${id}-2`]);
          expect((await store.getLogs(id)).map((l) => l.message)).toEqual([`${id} line`]);
        }
        expect((await store.getExecution('c'))?.state.current).toBe('SUCCESS');
        expect((await store.pendingEvents(10)).map((e) => [e.executionId, e.event.kind])).toEqual([
          ['b', 'kill'],
          ['a', 'kill'],
          ['a', 'kill'],
        ]);
        expect(await store.countJobs()).toEqual({ pending: 3, claimed: 0 });
        expect(await store.fireDueTimers(new Date(at(6)))).toBe(3);
        expect((await store.readExecutionTransitions(10)).map((t) => t.executionId)).toEqual(['c']);
      });

      it('commits nothing of a batch when one execution is stale, and names the stale ones', async () => {
        await store.createExecution(execution('a', { taskRunList: [taskRun('a', 'old')] }), [
          { kind: 'start' },
        ]);
        await store.createExecution(execution('b'), []);
        await store.createExecution(execution('c'), []);
        await store.commitSteps([step(execution('b'))]);
        await store.commitSteps([step(execution('c'))]);
        await store.appendLogs([log('a', 'before')]);
        const beforeA = await store.getExecution('a');
        const events = await store.pendingEvents(10);

        const fresh = step(execution('a', { state: 'SUCCESS', labels: [{ key: 'k', value: 'v' }] }), {
          changedTaskRuns: [taskRun('a', 'new')],
          removedTaskRunIds: ['old'],
          consumedEvents: events.map((e) => e.seq),
          jobs: [job('a', 'j1')],
          timers: [timer('a', 't', at(1))],
          events: [newEvent('b', { kind: 'kill' })],
          logs: [log('a', 'lost')],
        });
        const staleB = step(execution('b'), { expectedVersion: 1, jobs: [job('b', 'j2')] });
        const staleC = step(execution('c'), { expectedVersion: 1, logs: [log('c', 'lost too')] });
        const error = await store.commitSteps([fresh, staleB, staleC]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect([...(error as VersionConflictError).executionIds].sort()).toEqual(['b', 'c']);

        expect(await store.getExecution('a')).toEqual(beforeA);
        expect(await store.pendingEvents(10)).toEqual(events);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 0 });
        expect(await store.nextTimerAt()).toBeUndefined();
        expect((await store.getLogs('a')).map((l) => l.message)).toEqual(['before']);
        expect(await store.getLogs('c')).toEqual([]);
        expect((await store.searchExecutions({ labels: [{ key: 'k', value: 'v' }] })).total).toBe(0);
        expect((await store.getExecution('b'))?.version).toBe(2);
      });

      it('treats an unknown execution as stale', async () => {
        const error = await store.commitSteps([step(execution('ghost'))]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect((error as VersionConflictError).executionIds).toEqual(['ghost']);
      });

      it('requires the caller to pass the execution with its version bumped (expectedVersion + 1)', async () => {
        await store.createExecution(execution('e1'), []);
        const unbumped = {
          ...step(execution('e1', { state: 'FAILED' })),
          execution: execution('e1', { state: 'FAILED' }),
        };
        await expect(store.commitSteps([unbumped])).rejects.toThrow();
        expect(await store.getExecution('e1')).toEqual(execution('e1'));
      });

      it('accepts an empty batch', async () => {
        await store.commitSteps([]);
      });

      describe('search', () => {
        const seed = async () => {
          const all: Execution[] = [
            execution('e1', { start: at(1), state: 'SUCCESS', labels: [{ key: 'team', value: 'data' }] }),
            execution('e2', {
              start: at(2),
              state: 'FAILED',
              labels: [
                { key: 'team', value: 'data' },
                { key: 'env', value: 'prod' },
              ],
            }),
            execution('e3', { start: at(3), namespace: 'company', flowId: 'other', state: 'RUNNING' }),
            execution('e4', { start: at(4), namespace: 'companyx', flowId: 'hello', state: 'SUCCESS' }),
            execution('e5', {
              start: at(5),
              namespace: 'company.team.sub',
              state: 'QUEUED',
              labels: [{ key: 'env', value: 'prod' }],
            }),
          ];
          for (const e of all) await store.createExecution(e, []);
        };
        const ids = async (filter: Parameters<Store['searchExecutions']>[0]) =>
          (await store.searchExecutions(filter)).results.map((e) => e.id);

        it('returns summaries newest first, without task runs', async () => {
          await seed();
          await store.createExecution(
            execution('e6', { start: at(0), taskRunList: [taskRun('e6', 'a')] }),
            [],
          );
          const page = await store.searchExecutions({});
          expect(page.total).toBe(6);
          expect(page.results.map((e) => e.id)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1', 'e6']);
          const summary = page.results.at(-1);
          expect(summary).not.toHaveProperty('taskRunList');
          expect(summary).toMatchObject({
            id: 'e6',
            version: 1,
            flowId: 'hello',
            inputs: execution('e6').inputs,
          });
        });

        it('orders executions started at the same instant newest created first', async () => {
          for (const id of ['x1', 'x2', 'x3'])
            await store.createExecution(execution(id, { start: at(1) }), []);
          expect(await ids({})).toEqual(['x3', 'x2', 'x1']);
        });

        it('filters by namespace (with children), flow, states, labels and start dates', async () => {
          await seed();
          expect(await ids({ namespace: 'company' })).toEqual(['e5', 'e3', 'e2', 'e1']);
          expect(await ids({ namespace: 'company.team' })).toEqual(['e5', 'e2', 'e1']);
          expect(await ids({ namespace: 'company.team', flowId: 'hello' })).toEqual(['e5', 'e2', 'e1']);
          expect(await ids({ flowId: 'hello' })).toEqual(['e5', 'e4', 'e2', 'e1']);
          expect(await ids({ states: ['SUCCESS', 'FAILED'] })).toEqual(['e4', 'e2', 'e1']);
          expect(await ids({ states: [] })).toHaveLength(5); // an empty list is no filter
          expect(await ids({ labels: [{ key: 'team', value: 'data' }] })).toEqual(['e2', 'e1']);
          expect(
            await ids({
              labels: [
                { key: 'team', value: 'data' },
                { key: 'env', value: 'prod' },
              ],
            }),
          ).toEqual(['e2']);
          expect(await ids({ labels: [{ key: 'team', value: 'prod' }] })).toEqual([]);
          // Both bounds are inclusive, whatever the precision the instants are written with.
          expect(await ids({ startFrom: at(2), startTo: at(4) })).toEqual(['e4', 'e3', 'e2']);
          expect(await ids({ startFrom: '2026-01-01T00:02:00Z' })).toEqual(['e5', 'e4', 'e3', 'e2']);
          expect(await ids({ startTo: '2026-01-01T00:01:30Z' })).toEqual(['e1']);
          expect(
            await ids({ namespace: 'company', states: ['SUCCESS', 'QUEUED'], startFrom: at(1) }),
          ).toEqual(['e5', 'e1']);
        });

        it('finds executions by the labels a step changed', async () => {
          await seed();
          await store.commitSteps([
            step(
              execution('e1', { start: at(1), state: 'SUCCESS', labels: [{ key: 'team', value: 'ops' }] }),
            ),
          ]);
          expect(await ids({ labels: [{ key: 'team', value: 'data' }] })).toEqual(['e2']);
          expect(await ids({ labels: [{ key: 'team', value: 'ops' }] })).toEqual(['e1']);
        });

        it('pages with a total', async () => {
          await seed();
          const page = await store.searchExecutions({ page: 2, size: 2 });
          expect(page.total).toBe(5);
          expect(page.results.map((e) => e.id)).toEqual(['e3', 'e2']);
          expect(await store.searchExecutions({ flowId: 'nope' })).toEqual({ results: [], total: 0 });
        });
      });

      it('counts executions by state, following their changes', async () => {
        expect(await store.countExecutionsByState()).toEqual({});
        await store.createExecution(execution('a', { state: 'RUNNING' }), []);
        await store.createExecution(execution('b', { state: 'RUNNING', flowId: 'other' }), []);
        await store.createExecution(execution('c', { state: 'SUCCESS', namespace: 'company' }), []);
        expect(await store.countExecutionsByState()).toEqual({ RUNNING: 2, SUCCESS: 1 });
        await store.commitSteps([step(execution('a', { state: 'FAILED' }))]);
        expect(await store.countExecutionsByState()).toEqual({ RUNNING: 1, SUCCESS: 1, FAILED: 1 });
      });

      it('counts executions per interval of their start and state, inside the window only', async () => {
        await store.createExecution(execution('before', { state: 'SUCCESS', start: at(-1) }), []);
        await store.createExecution(execution('a', { state: 'SUCCESS', start: at(0) }), []);
        await store.createExecution(execution('b', { state: 'FAILED', start: at(59) }), []);
        await store.createExecution(execution('c', { state: 'SUCCESS', start: at(59) }), []);
        await store.createExecution(
          execution('d', { state: 'RUNNING', start: at(125), flowId: 'other' }),
          [],
        );
        await store.createExecution(execution('after', { state: 'SUCCESS', start: at(180) }), []);
        const counts = await store.countExecutionsOverTime({ from: T0, to: at(180), intervalMs: 3_600_000 });
        const key = (c: { interval: number; state: string }) => `${c.interval}:${c.state}`;
        expect([...counts].sort((x, y) => key(x).localeCompare(key(y)))).toEqual([
          { interval: 0, state: 'FAILED', count: 1 },
          { interval: 0, state: 'SUCCESS', count: 2 },
          { interval: 2, state: 'RUNNING', count: 1 },
        ]);
        // The current state counts: a step that ends an execution moves it.
        await store.commitSteps([step(execution('d', { state: 'KILLED', start: at(125), flowId: 'other' }))]);
        const moved = await store.countExecutionsOverTime({ from: at(120), to: at(180), intervalMs: 60_000 });
        expect(moved).toEqual([{ interval: 5, state: 'KILLED', count: 1 }]);
      });

      it('ranks flows by the longest of their ended executions in a window', async () => {
        const ended = (id: string, flowId: string, start: number, minutes: number) => {
          const e = execution(id, { flowId, state: 'SUCCESS', start: at(start) });
          return { ...e, state: { ...e.state, endDate: at(start + minutes) } };
        };
        await store.createExecution(ended('fast1', 'fast', 0, 1), []);
        await store.createExecution(ended('fast2', 'fast', 10, 3), []);
        await store.createExecution(ended('slow1', 'slow', 5, 10), []);
        await store.createExecution(ended('old', 'ancient', -60, 500), []);
        await store.createExecution(execution('running', { flowId: 'unended', start: at(1) }), []);
        expect(await store.slowestFlows({ from: T0, to: at(60), limit: 10 })).toEqual([
          { namespace: 'company.team', flowId: 'slow', executions: 1, maxMs: 600_000, avgMs: 600_000 },
          { namespace: 'company.team', flowId: 'fast', executions: 2, maxMs: 180_000, avgMs: 120_000 },
        ]);
        expect(await store.slowestFlows({ from: T0, to: at(60), limit: 1 })).toHaveLength(1);
      });

      it('counts the executions of a flow holding a concurrency slot', async () => {
        const states = [
          'CREATED',
          'QUEUED',
          'RUNNING',
          'PAUSED',
          'RESTARTED',
          'KILLING',
          'RETRYING',
          'SUCCESS',
        ] as const;
        for (const [i, state] of states.entries())
          await store.createExecution(execution(`e${i}`, { state }), []);
        await store.createExecution(execution('other-flow', { flowId: 'other', state: 'RUNNING' }), []);
        await store.createExecution(execution('other-ns', { namespace: 'company', state: 'RUNNING' }), []);
        expect(await store.countActiveExecutions('company.team', 'hello')).toBe(5);
        await store.commitSteps([step(execution('e2', { state: 'SUCCESS' }))]);
        expect(await store.countActiveExecutions('company.team', 'hello')).toBe(4);
        expect(await store.countActiveExecutions('company.team', 'nope')).toBe(0);
      });

      it('lists the queued executions of a flow, oldest first', async () => {
        await store.createExecution(execution('q1', { state: 'QUEUED', start: at(9) }), []);
        await store.createExecution(execution('r', { state: 'RUNNING' }), []);
        await store.createExecution(execution('q2', { state: 'QUEUED', start: at(1) }), []);
        await store.createExecution(execution('q3', { state: 'QUEUED' }), []);
        await store.createExecution(execution('q-other', { state: 'QUEUED', flowId: 'other' }), []);
        const queued = await store.queuedExecutions('company.team', 'hello', 10);
        expect(queued.map((e) => e.id)).toEqual(['q1', 'q2', 'q3']);
        expect(queued[0]).not.toHaveProperty('taskRunList');
        expect((await store.queuedExecutions('company.team', 'hello', 2)).map((e) => e.id)).toEqual([
          'q1',
          'q2',
        ]);
        await store.commitSteps([step(execution('q1', { state: 'RUNNING', start: at(9) }))]);
        expect((await store.queuedExecutions('company.team', 'hello', 10)).map((e) => e.id)).toEqual([
          'q2',
          'q3',
        ]);
      });

      it('lists the executions not in a terminal state', async () => {
        const states = [
          'CREATED',
          'QUEUED',
          'RUNNING',
          'PAUSED',
          'RESTARTED',
          'KILLING',
          'RETRYING',
        ] as const;
        const terminal = [
          'SUCCESS',
          'WARNING',
          'FAILED',
          'KILLED',
          'CANCELLED',
          'RETRIED',
          'SKIPPED',
        ] as const;
        for (const state of [...states, ...terminal])
          await store.createExecution(execution(state, { state }), []);
        expect([...(await store.unfinishedExecutionIds())].sort()).toEqual([...states].sort());
        await store.commitSteps([step(execution('RUNNING', { state: 'SUCCESS' }))]);
        expect(await store.unfinishedExecutionIds()).not.toContain('RUNNING');
      });
    });

    describe('events', () => {
      it('returns pending events oldest first, up to the limit, until consumed', async () => {
        await store.createExecution(execution('a'), []);
        await store.createExecution(execution('b'), []);
        await store.appendEvents([newEvent('a', { kind: 'start' }), newEvent('b', { kind: 'start' })]);
        await store.appendEvents([newEvent('a', jobResult('tr1'))]);
        await store.appendEvents([]);
        const all = await store.pendingEvents(10);
        expect(all.map((e) => [e.executionId, e.event.kind])).toEqual([
          ['a', 'start'],
          ['b', 'start'],
          ['a', 'jobResult'],
        ]);
        expect(all[2]?.event).toEqual(jobResult('tr1'));
        const seqs = all.map((e) => e.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(3);
        expect(await store.pendingEvents(2)).toEqual(all.slice(0, 2));
        expect(await store.pendingEvents(10)).toEqual(all);
        expect(await store.pendingEvents(0)).toEqual([]);

        await store.commitSteps([step(execution('a'), { consumedEvents: [all[0]!.seq, all[2]!.seq] })]);
        expect(await store.pendingEvents(10)).toEqual([all[1]]);
      });

      it('applies an event once: a step whose consumed events are gone is stale and commits nothing', async () => {
        await store.createExecution(execution('a'), [{ kind: 'start' }]);
        const [start] = await store.pendingEvents(1);
        await store.commitSteps([step(execution('a'), { consumedEvents: [start!.seq] })]);
        // A second executor (or a second route into one) stepping the same event on the new version.
        const again = step(
          { ...execution('a'), version: 2 },
          { consumedEvents: [start!.seq], jobs: [job('a', 'j1')] },
        );
        const error = await store.commitSteps([again]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect((error as VersionConflictError).executionIds).toEqual(['a']);
        expect((await store.getExecution('a'))?.version).toBe(2);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 0 });
      });

      it('checks each step of a batch for its consumed events, and the steps needing statements too', async () => {
        await store.createExecution(execution('a'), [{ kind: 'start' }]);
        await store.createExecution(execution('b'), [{ kind: 'start' }]);
        const [startA, startB] = await store.pendingEvents(2);
        await store.commitSteps([step(execution('a'), { consumedEvents: [startA!.seq] })]);
        const staleA = step({ ...execution('a'), version: 2 }, { consumedEvents: [startA!.seq] });
        // One seq twice is still one event there.
        const freshB = step(execution('b'), { consumedEvents: [startB!.seq, startB!.seq] });
        const error = await store.commitSteps([staleA, freshB]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((error as VersionConflictError).executionIds).toEqual(['a']);
        expect(await store.pendingEvents(10)).toEqual([startB]);
        // A step removing a task run goes statement by statement (PostgreSQL): checked alike.
        const removing = step(
          { ...execution('a'), version: 2 },
          { consumedEvents: [startA!.seq], removedTaskRunIds: ['x'] },
        );
        await expect(store.commitSteps([removing])).rejects.toBeInstanceOf(VersionConflictError);
        await store.commitSteps([freshB]);
        expect(await store.pendingEvents(10)).toEqual([]);
      });

      it('never reuses the position of a consumed event', async () => {
        await store.createExecution(execution('a'), [{ kind: 'start' }]);
        const [first] = await store.pendingEvents(1);
        await store.commitSteps([step(execution('a'), { consumedEvents: [first!.seq] })]);
        await store.appendEvents([newEvent('a', { kind: 'kill' })]);
        const [second] = await store.pendingEvents(1);
        expect(second!.seq).toBeGreaterThan(first!.seq);
      });
    });

    describe('jobs', () => {
      const queueJobs = async (ids: string[]) => {
        await store.createExecution(execution('e1'), []);
        await store.commitSteps([step(execution('e1'), { jobs: ids.map((id) => job('e1', id)) })]);
      };

      it('claims the oldest unclaimed jobs, up to the limit', async () => {
        await queueJobs(['j1', 'j2', 'j3']);
        const claimed = await store.claimJobs('w1', 2);
        expect(claimed.map((c) => c.job)).toEqual([job('e1', 'j1'), job('e1', 'j2')]);
        expect(claimed[0]?.workerId).toBe('w1');
        expect(claimed[0]?.claimedAt).toMatch(ISO_INSTANT);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 2 });
        expect((await store.claimJobs('w2', 5)).map((c) => c.job.id)).toEqual(['j3']);
        expect(await store.claimJobs('w3', 5)).toEqual([]);
        expect(await store.claimJobs('w3', 0)).toEqual([]);
      });

      it('never gives one job to two claims, even concurrent ones', async () => {
        const ids = Array.from({ length: 20 }, (_, i) => `j${i}`);
        await queueJobs(ids);
        const claims = await Promise.all([
          store.claimJobs('w1', 8),
          store.claimJobs('w2', 8),
          store.claimJobs('w3', 8),
        ]);
        const claimedIds = claims.flat().map((c) => c.job.id);
        expect(claimedIds).toHaveLength(20);
        expect(new Set(claimedIds).size).toBe(20);
      });

      it('claims jobs for a worker in the commit that queues them', async () => {
        await queueJobs(['j1']);
        const claimed = await store.commitSteps(
          [step(execution('e1', { version: 2 }), { jobs: [job('e1', 'j2'), job('e1', 'j3')] })],
          { claimFor: { workerId: 'w1', limit: 2 } },
        );
        expect(claimed.map((c) => [c.job.id, c.workerId])).toEqual([
          ['j1', 'w1'],
          ['j2', 'w1'],
        ]);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 2 });
        expect(await store.commitSteps([], { claimFor: { workerId: 'w1', limit: 0 } })).toEqual([]);
        expect(await store.commitSteps([])).toEqual([]);
      });

      it('claims a job re-sent in a claiming commit once, and not when another worker holds it', async () => {
        await queueJobs(['j1', 'j2']);
        await store.claimJobs('w2', 1); // j1
        const claimed = await store.commitSteps(
          [
            step(execution('e1', { version: 2 }), {
              jobs: [job('e1', 'j1'), job('e1', 'j2'), job('e1', 'j3')],
            }),
          ],
          { claimFor: { workerId: 'w1', limit: 5 } },
        );
        expect(claimed.map((c) => [c.job.id, c.workerId])).toEqual([
          ['j2', 'w1'],
          ['j3', 'w1'],
        ]);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 3 });
        expect(await store.releaseJobs('w1')).toBe(2); // stored as w1's, not only answered so
      });

      it('claims nothing when the commit fails', async () => {
        await queueJobs(['j1']);
        await expect(
          store.commitSteps([step(execution('e1', { version: 5 }), { jobs: [] })], {
            claimFor: { workerId: 'w1', limit: 5 },
          }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 0 });
      });

      it('removes the jobs whose results a step consumed in process', async () => {
        await queueJobs(['j1', 'j2']);
        await store.claimJobs('w1', 2);
        await store.commitSteps([step(execution('e1', { version: 2 }), { completedJobIds: ['j1', 'gone'] })]);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 1 });
        expect(await store.pendingEvents(10)).toEqual([]);
      });

      it('keeps one copy of a job queued twice', async () => {
        await queueJobs(['j1']);
        await store.commitSteps([step(execution('e1', { version: 2 }), { jobs: [job('e1', 'j1')] })]);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 0 });
      });

      it('releases the jobs of one worker, or all', async () => {
        await queueJobs(['j1', 'j2', 'j3']);
        await store.claimJobs('w1', 2);
        await store.claimJobs('w2', 1);
        expect(await store.releaseJobs('w1')).toBe(2);
        expect(await store.releaseJobs('w1')).toBe(0);
        expect(await store.countJobs()).toEqual({ pending: 2, claimed: 1 });
        expect((await store.claimJobs('w3', 5)).map((c) => c.job.id)).toEqual(['j1', 'j2']);
        expect(await store.releaseJobs()).toBe(3);
        expect(await store.countJobs()).toEqual({ pending: 3, claimed: 0 });
      });

      it('cancels only jobs not yet claimed', async () => {
        await queueJobs(['j1', 'j2', 'j3']);
        await store.claimJobs('w1', 1);
        expect(await store.cancelJobs(['j1', 'j2', 'nope'])).toEqual(['j2']);
        expect(await store.cancelJobs([])).toEqual([]);
        expect(await store.countJobs()).toEqual({ pending: 1, claimed: 1 });
        expect((await store.claimJobs('w2', 5)).map((c) => c.job.id)).toEqual(['j3']);
      });

      it('completes jobs: removes them and queues their events and logs', async () => {
        await queueJobs(['j1', 'j2']);
        await store.claimJobs('w1', 2);
        await store.completeJobs([
          {
            jobId: 'j1',
            event: newEvent('e1', jobResult('tr-j1')),
            logs: [log('e1', 'ran j1', { taskRunId: 'tr-j1' })],
          },
          { jobId: 'j2', event: newEvent('e1', jobResult('tr-j2')), logs: [] },
        ]);
        await store.completeJobs([]);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 0 });
        expect((await store.pendingEvents(10)).map((e) => e.event)).toEqual([
          jobResult('tr-j1'),
          jobResult('tr-j2'),
        ]);
        expect((await store.getLogs('e1')).map((l) => l.message)).toEqual(['ran j1']);
      });

      it('queues no event for a job completed already or cancelled (its lines are kept)', async () => {
        await queueJobs(['j1']);
        await store.claimJobs('w1', 1);
        await store.releaseJobs('w1');
        await store.claimJobs('w2', 1);
        const completion = (worker: string) => ({
          jobId: 'j1',
          event: newEvent('e1', jobResult('tr-j1')),
          logs: [log('e1', `from ${worker}`)],
        });
        await store.completeJobs([completion('w2')]);
        await store.completeJobs([completion('w1')]);
        expect(await store.pendingEvents(10)).toHaveLength(1);
        expect((await store.getLogs('e1')).map((l) => l.message)).toEqual(['from w2', 'from w1']);
      });
    });

    describe('timers', () => {
      it('fires timers when due, not before, once', async () => {
        await store.createExecution(execution('e1'), []);
        const event = { kind: 'timer', purpose: 'retry', taskRunId: 'tr1', attempt: 2 } as const;
        await store.commitSteps([
          step(execution('e1'), { timers: [timer('e1', 'retry:tr1', at(10), event)] }),
        ]);
        expect(await store.nextTimerAt()).toEqual(new Date(at(10)));
        expect(await store.fireDueTimers(new Date(Date.parse(at(10)) - 1))).toBe(0);
        expect(await store.pendingEvents(10)).toEqual([]);
        expect(await store.fireDueTimers(new Date(at(10)))).toBe(1);
        expect((await store.pendingEvents(10)).map((e) => [e.executionId, e.event])).toEqual([['e1', event]]);
        expect(await store.fireDueTimers(new Date(at(20)))).toBe(0);
        expect(await store.nextTimerAt()).toBeUndefined();
      });

      it('fires due timers in due order, leaving the others', async () => {
        await store.createExecution(execution('e1'), []);
        await store.createExecution(execution('e2'), []);
        await store.commitSteps([
          step(execution('e1'), { timers: [timer('e1', 'late', at(3)), timer('e1', 'early', at(1))] }),
          step(execution('e2'), { timers: [timer('e2', 'middle', at(2)), timer('e2', 'future', at(60))] }),
        ]);
        expect(await store.fireDueTimers(new Date(at(30)))).toBe(3);
        const fired = await store.pendingEvents(10);
        expect(fired.map((e) => (e.event.kind === 'timer' ? e.event.taskRunId : ''))).toEqual([
          'early',
          'middle',
          'late',
        ]);
        expect(await store.nextTimerAt()).toEqual(new Date(at(60)));
      });

      it("replaces an execution's timer of the same key, and only that execution's", async () => {
        await store.createExecution(execution('e1'), []);
        await store.createExecution(execution('e2'), []);
        await store.commitSteps([
          step(execution('e1'), { timers: [timer('e1', 'retry', at(1), { kind: 'kill' })] }),
          step(execution('e2'), { timers: [timer('e2', 'retry', at(2), { kind: 'kill' })] }),
        ]);
        await store.commitSteps([
          step(execution('e1', { version: 2 }), {
            timers: [timer('e1', 'retry', at(5), { kind: 'restart' })],
          }),
        ]);
        expect(await store.nextTimerAt()).toEqual(new Date(at(2)));
        expect(await store.fireDueTimers(new Date(at(4)))).toBe(1);
        expect(await store.fireDueTimers(new Date(at(5)))).toBe(1);
        expect((await store.pendingEvents(10)).map((e) => [e.executionId, e.event.kind])).toEqual([
          ['e2', 'kill'],
          ['e1', 'restart'],
        ]);
      });
    });

    describe('logs', () => {
      const seed = async () => {
        await store.appendLogs([
          log('e1', 'trace', { level: 'TRACE', taskId: 'a', taskRunId: 'a1', attemptNumber: 1 }),
          log('e1', 'info a', { level: 'INFO', taskId: 'a', taskRunId: 'a1' }),
          log('e2', 'other execution', { level: 'ERROR' }),
          log('e1', 'warn b1', { level: 'WARN', taskId: 'b', taskRunId: 'b1' }),
          log('e1', 'error b2', { level: 'ERROR', taskId: 'b', taskRunId: 'b2' }),
          log('e1', 'debug', { level: 'DEBUG' }),
        ]);
      };
      const messages = async (filter?: Parameters<Store['getLogs']>[1]) =>
        (await store.getLogs('e1', filter)).map((l) => l.message);

      it('reads the lines of an execution in order, as written', async () => {
        await seed();
        const lines = await store.getLogs('e1');
        expect(lines.map((l) => l.message)).toEqual(['trace', 'info a', 'warn b1', 'error b2', 'debug']);
        const { seq: _seq, ...first } = lines[0]!;
        expect(first).toEqual(
          log('e1', 'trace', { level: 'TRACE', taskId: 'a', taskRunId: 'a1', attemptNumber: 1 }),
        );
        expect(lines.at(-1)).not.toHaveProperty('taskId');
        const seqs = lines.map((l) => l.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(await store.getLogs('nope')).toEqual([]);
        await store.appendLogs([]);
      });

      it('filters by task run, task, minimum level, position and count', async () => {
        await seed();
        expect(await messages({ taskRunId: 'b1' })).toEqual(['warn b1']);
        expect(await messages({ taskId: 'b' })).toEqual(['warn b1', 'error b2']);
        expect(await messages({ minLevel: 'WARN' })).toEqual(['warn b1', 'error b2']);
        expect(await messages({ minLevel: 'DEBUG' })).toEqual(['info a', 'warn b1', 'error b2', 'debug']);
        expect(await messages({ minLevel: 'TRACE' })).toHaveLength(5);
        expect(await messages({ limit: 2 })).toEqual(['trace', 'info a']);
        const all = await store.getLogs('e1');
        expect(await messages({ afterSeq: all[1]!.seq })).toEqual(['warn b1', 'error b2', 'debug']);
        expect(await messages({ afterSeq: all[1]!.seq, limit: 1, taskId: 'b', minLevel: 'ERROR' })).toEqual([
          'error b2',
        ]);
        expect(await messages({ afterSeq: all.at(-1)!.seq })).toEqual([]);
      });

      it('gives lines appended later higher positions (following a log)', async () => {
        await seed();
        const last = (await store.getLogs('e1')).at(-1)!.seq;
        await store.appendLogs([log('e1', 'later')]);
        expect(await messages({ afterSeq: last })).toEqual(['later']);
      });

      it('searches the lines of every execution: namespace with children, flow, level, text, dates, newest first, paged', async () => {
        const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
        await store.appendLogs([
          log('s1', 'alpha one', { namespace: 'co', flowId: 'f', level: 'INFO', timestamp: at(1) }),
          log('s1', 'beta 50%_done', { namespace: 'co.team', flowId: 'g', level: 'WARN', timestamp: at(2) }),
          log('s2', 'alpha two', { namespace: 'cox', flowId: 'f', level: 'ERROR', timestamp: at(3) }),
          log('s2', 'gamma', { namespace: 'co', flowId: 'f', level: 'DEBUG', timestamp: at(4) }),
        ]);
        const found = async (search: Parameters<Store['searchLogs']>[0]) => {
          const page = await store.searchLogs(search);
          return { total: page.total, messages: page.results.map((l) => l.message) };
        };
        expect(await found({ namespace: 'co' })).toEqual({
          total: 3,
          messages: ['gamma', 'beta 50%_done', 'alpha one'],
        });
        expect((await found({ flowId: 'f', minLevel: 'INFO' })).messages).toEqual(['alpha two', 'alpha one']);
        expect((await found({ query: 'alpha' })).messages).toEqual(['alpha two', 'alpha one']);
        expect((await found({ query: '50%_' })).messages).toEqual(['beta 50%_done']);
        expect((await found({ query: '%' })).total).toBe(1);
        expect((await found({ startDate: at(2), endDate: at(3) })).messages).toEqual([
          'alpha two',
          'beta 50%_done',
        ]);
        expect(await found({ size: 3, page: 2 })).toEqual({ total: 4, messages: ['alpha one'] });
        const [line] = (await store.searchLogs({ flowId: 'g' })).results;
        expect(line).toMatchObject({ executionId: 's1', namespace: 'co.team', level: 'WARN' });
      });

      it('reads a log search by keyset after a cursor, lines of one instant in seq order, and counts up to a bound', async () => {
        const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;
        // Two lines share an instant: the cursor's seq keeps them apart.
        await store.appendLogs([
          log('k1', 'one', { flowId: 'f', level: 'INFO', timestamp: at(1) }),
          log('k1', 'two', { flowId: 'f', level: 'INFO', timestamp: at(2) }),
          log('k2', 'three', { flowId: 'f', level: 'INFO', timestamp: at(2) }),
          log('k2', 'quiet', { flowId: 'f', level: 'DEBUG', timestamp: at(3) }),
          log('k2', 'four', { flowId: 'f', level: 'WARN', timestamp: at(4) }),
          log('k3', 'other flow', { flowId: 'g', level: 'ERROR', timestamp: at(5) }),
        ]);
        const search = { flowId: 'f', minLevel: 'INFO' as const, size: 2 };
        const first = await store.searchLogs({ ...search, totalUpTo: 3 });
        expect(first.results.map((l) => l.message)).toEqual(['four', 'three']);
        expect(first.total).toBe(3);
        expect((await store.searchLogs(search)).total).toBe(4);
        const last = first.results.at(-1)!;
        const second = await store.searchLogs({
          ...search,
          before: { timestamp: last.timestamp, seq: last.seq },
        });
        expect(second.results.map((l) => l.message)).toEqual(['two', 'one']);
        // The cursor wins over a page number, and the last page is empty.
        const end = second.results.at(-1)!;
        const after = await store.searchLogs({
          ...search,
          page: 2,
          before: { timestamp: end.timestamp, seq: end.seq },
        });
        expect(after.results).toEqual([]);
        // A text search reads the same pages, whether its page fills from the newest lines or not.
        const texts = async (before?: { timestamp: string; seq: number }) =>
          (await store.searchLogs({ flowId: 'f', query: 'o', size: 1, ...(before ? { before } : {}) }))
            .results;
        const [newest] = await texts();
        expect(newest?.message).toBe('four');
        const [next] = await texts(newest);
        expect(next?.message).toBe('two');
        expect((await texts(next)).map((l) => l.message)).toEqual(['one']);
      });

      it('finds a text in a log search whatever its (ASCII) case', async () => {
        await store.appendLogs([
          log('c1', 'Needle upper', { timestamp: '2024-05-01T10:00:01.000Z' }),
          log('c1', 'plain hay', { timestamp: '2024-05-01T10:00:02.000Z' }),
          log('c1', 'a NEEDLE shouted', { timestamp: '2024-05-01T10:00:03.000Z' }),
        ]);
        const found = await store.searchLogs({ query: 'needle' });
        expect(found.results.map((l) => l.message)).toEqual(['a NEEDLE shouted', 'Needle upper']);
        expect(found.total).toBe(2);
      });

      it('follows a log search: a page says how far the log reached, and afterSeq finds the lines written since', async () => {
        const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;
        const empty = await store.searchLogs({ flowId: 'f' });
        expect(empty).toMatchObject({ results: [], total: 0, lastSeq: 0 });
        await store.appendLogs([
          log('f1', 'first', { flowId: 'f', timestamp: at(1) }),
          log('f1', 'elsewhere', { flowId: 'g', timestamp: at(2) }),
        ]);
        const page = await store.searchLogs({ flowId: 'f', query: 'i' });
        expect(page.results.map((l) => l.message)).toEqual(['first']);
        // The newest line of the store, matching the search or not.
        const newest = (await store.searchLogs({})).results[0]!;
        expect(page.lastSeq).toBe(newest.seq);
        // Nothing new yet, even for a line outside the search.
        expect((await store.searchLogs({ flowId: 'f', afterSeq: page.lastSeq })).results).toEqual([]);
        await store.appendLogs([
          log('f2', 'second', { flowId: 'f', level: 'DEBUG', timestamp: at(3) }),
          log('f2', 'other flow', { flowId: 'g', timestamp: at(4) }),
          // Written later, stamped earlier: still new, and sorted by its time.
          log('f3', 'late third', { flowId: 'f', level: 'WARN', timestamp: at(0) }),
          log('f3', 'fourth', { flowId: 'f', level: 'ERROR', timestamp: at(5) }),
        ]);
        const since = await store.searchLogs({ flowId: 'f', afterSeq: page.lastSeq, totalUpTo: 10 });
        expect(since.results.map((l) => l.message)).toEqual(['fourth', 'second', 'late third']);
        expect(since.total).toBe(3);
        expect(since.lastSeq).toBeGreaterThan(page.lastSeq);
        // The other filters hold, text included, and the next poll starts from the new mark.
        const filtered = await store.searchLogs({
          flowId: 'f',
          afterSeq: page.lastSeq,
          minLevel: 'INFO',
          query: 'R',
        });
        expect(filtered.results.map((l) => l.message)).toEqual(['fourth', 'late third']);
        expect((await store.searchLogs({ afterSeq: since.lastSeq })).results).toEqual([]);
      });
    });

    describe('KV', () => {
      it('stores typed values with their dates', async () => {
        const values = [
          ['s', 'STRING', 'text'],
          ['n', 'NUMBER', 3.5],
          ['b', 'BOOLEAN', false],
          ['t', 'DATETIME', '2026-01-01T00:00:00Z'],
          ['d', 'DATE', '2026-01-01'],
          ['p', 'DURATION', 'PT5M'],
          ['j', 'JSON', { a: [1, { b: null }] }],
        ] as const;
        for (const [key, type, value] of values) {
          const put = await store.kvPut({ namespace: 'ns', key, type, value });
          expect(put).toMatchObject({ namespace: 'ns', key, type, value });
          expect(put.created).toMatch(ISO_INSTANT);
          expect(put.updated).toBe(put.created);
        }
        for (const [key, type, value] of values) {
          expect(await store.kvGet('ns', key)).toMatchObject({ key, type, value });
        }
        const described = await store.kvPut({
          namespace: 'ns',
          key: 'x',
          type: 'STRING',
          value: 'v',
          description: 'why',
        });
        expect(await store.kvGet('ns', 'x')).toEqual(described);
        expect(described.description).toBe('why');
        expect(await store.kvGet('ns', 'nope')).toBeUndefined();
        expect(await store.kvGet('other', 's')).toBeUndefined();
      });

      it('keeps the creation date across updates', async () => {
        const first = await store.kvPut({
          namespace: 'ns',
          key: 'k',
          type: 'STRING',
          value: 'one',
          description: 'd',
        });
        const second = await store.kvPut({ namespace: 'ns', key: 'k', type: 'NUMBER', value: 2 });
        expect(second.created).toBe(first.created);
        expect(Date.parse(second.updated)).toBeGreaterThanOrEqual(Date.parse(first.updated));
        const read = await store.kvGet('ns', 'k');
        expect(read).toEqual(second);
        expect(read).toMatchObject({ type: 'NUMBER', value: 2 });
        expect(read).not.toHaveProperty('description');
      });

      it('treats an expired entry as missing', async () => {
        const past = new Date(Date.now() - 60_000).toISOString();
        const future = new Date(Date.now() + 3_600_000).toISOString();
        await store.kvPut({ namespace: 'ns', key: 'gone', type: 'STRING', value: 'x', expiresAt: past });
        const kept = await store.kvPut({
          namespace: 'ns',
          key: 'kept',
          type: 'STRING',
          value: 'y',
          expiresAt: future,
        });
        expect(kept.expiresAt).toBe(future);
        expect(await store.kvGet('ns', 'gone')).toBeUndefined();
        expect(await store.kvGet('ns', 'kept')).toEqual(kept);
        expect((await store.kvList('ns')).map((e) => e.key)).toEqual(['kept']);
        await store.kvPut({ namespace: 'ns', key: 'gone2', type: 'STRING', value: 'x', expiresAt: past });
        expect(await store.kvDelete('ns', 'gone2')).toBe(false);
        const revived = await store.kvPut({ namespace: 'ns', key: 'gone', type: 'STRING', value: 'back' });
        expect(await store.kvGet('ns', 'gone')).toEqual(revived);
        expect(revived).not.toHaveProperty('expiresAt');
      });

      it('deletes entries', async () => {
        await store.kvPut({ namespace: 'ns', key: 'k', type: 'STRING', value: 'x' });
        expect(await store.kvDelete('ns', 'k')).toBe(true);
        expect(await store.kvDelete('ns', 'k')).toBe(false);
        expect(await store.kvGet('ns', 'k')).toBeUndefined();
      });

      it('lists the entries of one namespace by key (not its children)', async () => {
        for (const key of ['b', 'a', 'c'])
          await store.kvPut({ namespace: 'company', key, type: 'STRING', value: key });
        await store.kvPut({ namespace: 'company.team', key: 'z', type: 'STRING', value: 'z' });
        expect((await store.kvList('company')).map((e) => e.key)).toEqual(['a', 'b', 'c']);
        expect(await store.kvList('empty')).toEqual([]);
      });
    });

    describe('trigger state', () => {
      it('saves, replaces and lists trigger states', async () => {
        expect(await store.getTriggerState('ns', 'f', 'daily')).toBeUndefined();
        await store.saveTriggerState({
          namespace: 'ns',
          flowId: 'f',
          triggerId: 'daily',
          state: { next: at(1) },
        });
        const first = await store.getTriggerState('ns', 'f', 'daily');
        expect(first).toMatchObject({
          namespace: 'ns',
          flowId: 'f',
          triggerId: 'daily',
          state: { next: at(1) },
        });
        expect(first?.updated).toMatch(ISO_INSTANT);
        await store.saveTriggerState({
          namespace: 'ns',
          flowId: 'f',
          triggerId: 'daily',
          state: { next: at(2), disabled: true },
        });
        expect((await store.getTriggerState('ns', 'f', 'daily'))?.state).toEqual({
          next: at(2),
          disabled: true,
        });
        await store.saveTriggerState({ namespace: 'a', flowId: 'f', triggerId: 'x', state: {} });
        await store.saveTriggerState({ namespace: 'ns', flowId: 'f', triggerId: 'hourly', state: { n: 1 } });
        expect(
          (await store.listTriggerStates()).map((t) => `${t.namespace}/${t.flowId}/${t.triggerId}`),
        ).toEqual(['a/f/x', 'ns/f/daily', 'ns/f/hourly']);
        expect(await store.getTriggerState('ns', 'other', 'daily')).toBeUndefined();
      });

      it('saves trigger states with the execution a trigger creates, in one transaction', async () => {
        const fired = { namespace: 'ns', flowId: 'f', triggerId: 'daily', state: { lastSlot: at(1) } };
        await store.createExecution(execution('e1'), [{ kind: 'start' }], [fired]);
        expect((await store.getTriggerState('ns', 'f', 'daily'))?.state).toEqual({ lastSlot: at(1) });
        expect((await store.getExecution('e1'))?.id).toBe('e1');
        // The execution exists already: neither it nor the trigger's new state is committed.
        const again = { ...fired, state: { lastSlot: at(2) } };
        await expect(store.createExecution(execution('e1'), [], [again])).rejects.toThrow();
        expect((await store.getTriggerState('ns', 'f', 'daily'))?.state).toEqual({ lastSlot: at(1) });
      });
    });
  });
}
