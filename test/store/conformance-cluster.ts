/**
 * The cluster part of the store conformance suite (src/store/contract.ts, "cluster"): members
 * and heartbeats, execution leases (one executor steps an execution at a time), expiry of
 * silent members handing back their jobs and leases, aborting jobs on a remote worker, named
 * leases (the active scheduler), the admission lock and the transitions queued for the
 * scheduler. Real time with wide margins: expiry compares heartbeats with the store's clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/store/contract.js';
import type { MemberReport, Store, TriggerStateUpdate } from '../../src/store/contract.js';
import { execution, job, newEvent, step } from './builders.js';

function member(id: string, roles: MemberReport['roles'] = ['executor', 'worker']): MemberReport {
  return { id, roles, host: 'host-a', pid: 42, startedAt: new Date().toISOString(), info: { slots: 4 } };
}

/** Declares the cluster conformance suite for one adapter. */
export function describeClusterConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance (cluster): ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('registers members with heartbeats, and updates them', async () => {
      expect(await store.listMembers()).toEqual([]);
      await store.heartbeat(member('w1', ['worker']));
      const [first] = await store.listMembers();
      expect(first).toMatchObject({
        id: 'w1',
        roles: ['worker'],
        host: 'host-a',
        pid: 42,
        info: { slots: 4 },
      });
      await sleep(20);
      await store.heartbeat({ ...member('w1', ['worker']), info: { slots: 4, running: 2 } });
      const [second] = await store.listMembers();
      expect(second!.startedAt).toBe(first!.startedAt);
      expect(Date.parse(second!.heartbeatAt)).toBeGreaterThan(Date.parse(first!.heartbeatAt));
      expect(second!.info).toEqual({ slots: 4, running: 2 });
    });

    it('leases an execution to one executor: another gets the events of other executions only', async () => {
      await store.heartbeat(member('ex-a', ['executor']));
      await store.heartbeat(member('ex-b', ['executor']));
      await store.appendEvents([newEvent('x1'), newEvent('x2')]);
      const a = await store.claimEvents('ex-a', 1);
      expect(a.map((e) => e.executionId)).toEqual(['x1']);
      await store.appendEvents([newEvent('x1', { kind: 'kill' })]);
      const b = await store.claimEvents('ex-b', 10);
      expect(b.map((e) => e.executionId)).toEqual(['x2']);
      // Its own lease: every pending event of x1 (and x2 is b's now).
      const again = await store.claimEvents('ex-a', 10);
      expect(again.map((e) => [e.executionId, e.event.kind])).toEqual([
        ['x1', 'start'],
        ['x1', 'kill'],
      ]);
    });

    it('frees the leases and hands back the jobs of a member that leaves', async () => {
      await store.heartbeat(member('ex-a'));
      await store.heartbeat(member('ex-b'));
      await store.appendEvents([newEvent('x1')]);
      expect(await store.claimEvents('ex-a', 10)).toHaveLength(1);
      await store.createExecution(execution('x1'), []);
      await store.commitSteps([step(execution('x1'), { jobs: [job('x1', 'j1')] })]);
      expect(await store.claimJobs('ex-a', 10)).toHaveLength(1);
      expect(await store.claimEvents('ex-b', 10)).toEqual([]);
      expect(await store.leaveCluster('ex-a')).toBe(1);
      expect((await store.claimEvents('ex-b', 10)).map((e) => e.executionId)).toEqual(['x1']);
      expect((await store.claimJobs('ex-b', 10)).map((c) => c.job.id)).toEqual(['j1']);
      expect((await store.listMembers()).map((m) => m.id)).toEqual(['ex-b']);
    });

    it('expires silent members: their jobs are claimable again and their leases free', async () => {
      await store.heartbeat(member('dead'));
      await store.appendEvents([newEvent('x1')]);
      await store.claimEvents('dead', 10);
      await store.createExecution(execution('x1'), []);
      await store.commitSteps([step(execution('x1'), { jobs: [job('x1', 'j1')] })]);
      await store.claimJobs('dead', 10);
      // Margins of a second: on a loaded machine the live member's heartbeat below may be
      // hundreds of milliseconds old by the time expireMembers reads it.
      await sleep(1_200);
      await store.heartbeat(member('alive'));
      const expired = await store.expireMembers(1_000);
      expect(expired.members.map((m) => m.id)).toEqual(['dead']);
      expect(expired.releasedJobs).toBe(1);
      expect(expired.releasedExecutionIds).toEqual(['x1']);
      expect((await store.listMembers()).map((m) => m.id)).toEqual(['alive']);
      expect((await store.claimJobs('alive', 10)).map((c) => c.job.id)).toEqual(['j1']);
      expect((await store.claimEvents('alive', 10)).map((e) => e.executionId)).toEqual(['x1']);
      // Nothing more to expire: the live member stays.
      expect((await store.expireMembers(1_000)).members).toEqual([]);
    });

    it('treats a lease or a claim of a process that never joined as free', async () => {
      await store.heartbeat(member('ex-a'));
      await store.appendEvents([newEvent('x1')]);
      expect(await store.claimEvents('ghost', 10)).toHaveLength(1);
      // ghost is no member: its lease does not hold ex-a back.
      expect(await store.claimEvents('ex-a', 10)).toHaveLength(1);
      await store.createExecution(execution('x2'), []);
      await store.commitSteps([step(execution('x2'), { jobs: [job('x2', 'j2')] })]);
      await store.claimJobs('ghost', 10);
      expect((await store.expireMembers(60_000)).releasedJobs).toBe(1);
    });

    it('tells a worker at its heartbeat to abort a claimed job that was cancelled', async () => {
      await store.heartbeat(member('w1', ['worker']));
      await store.createExecution(execution('x1'), []);
      await store.commitSteps([
        step(execution('x1'), { jobs: [job('x1', 'claimed'), job('x1', 'waiting')] }),
      ]);
      expect(await store.claimJobs('w1', 1)).toHaveLength(1);
      expect(await store.cancelJobs(['claimed', 'waiting'])).toEqual(['waiting']);
      expect(await store.heartbeat(member('w1', ['worker']))).toEqual({
        abortJobIds: ['claimed'],
        heldJobIds: ['claimed'],
      });
      // Handed to another worker after a crash, it is still to be aborted.
      await store.leaveCluster('w1');
      await store.heartbeat(member('w2', ['worker']));
      expect((await store.claimJobs('w2', 10)).map((c) => c.job.id)).toEqual(['claimed']);
      expect((await store.heartbeat(member('w2', ['worker']))).abortJobIds).toEqual(['claimed']);
    });

    it('tells a worker which jobs it holds; it hands back the given ones only', async () => {
      await store.heartbeat(member('w1', ['worker']));
      await store.createExecution(execution('x1'), []);
      await store.commitSteps([
        step(execution('x1'), { jobs: [job('x1', 'a'), job('x1', 'b'), job('x1', 'c')] }),
      ]);
      expect(await store.claimJobs('w1', 2)).toHaveLength(2);
      expect(await store.heartbeat(member('w1', ['worker']))).toEqual({
        abortJobIds: [],
        heldJobIds: ['a', 'b'],
      });
      expect(await store.releaseJobs('w2', ['a'])).toBe(0); // not w2's
      expect(await store.releaseJobs('w1', ['a', 'c'])).toBe(1); // c is nobody's
      expect((await store.heartbeat(member('w1', ['worker']))).heldJobIds).toEqual(['b']);
      expect((await store.claimJobs('w2', 10)).map((c) => c.job.id)).toEqual(['a', 'c']);
    });

    it('queues ended and paused executions for the scheduler until removed, and ends the lease', async () => {
      await store.heartbeat(member('ex-a'));
      await store.heartbeat(member('ex-b'));
      await store.createExecution(execution('x1'), [{ kind: 'start' }]);
      await store.createExecution(execution('x2'), []);
      const [event] = await store.claimEvents('ex-a', 10);
      await store.commitSteps([
        step(execution('x1', { state: 'SUCCESS' }), {
          consumedEvents: [event!.seq],
          transition: 'ended',
        }),
        step(execution('x2', { state: 'PAUSED' }), { transition: 'paused' }),
      ]);
      const read = await store.readExecutionTransitions(10);
      expect(read.map((t) => [t.executionId, t.transition])).toEqual([
        ['x1', 'ended'],
        ['x2', 'paused'],
      ]);
      // Read, not taken: a scheduler that dies before its reaction leaves them to the next one.
      expect(await store.readExecutionTransitions(1)).toEqual(read.slice(0, 1));
      await store.removeExecutionTransitions([read[0]!.seq, 999_999]);
      expect(await store.readExecutionTransitions(10)).toEqual(read.slice(1));
      await store.removeExecutionTransitions([read[1]!.seq]);
      await store.removeExecutionTransitions([]);
      expect(await store.readExecutionTransitions(10)).toEqual([]);
      // Ended: a later event (a restart) goes to whoever claims first.
      await store.appendEvents([newEvent('x1', { kind: 'restart' })]);
      expect((await store.claimEvents('ex-b', 10)).map((e) => e.executionId)).toEqual(['x1']);
    });

    it('writes no transition for a stale step', async () => {
      await store.createExecution(execution('x1'), []);
      await expect(
        store.commitSteps([
          step(execution('x1', { state: 'SUCCESS' }), { expectedVersion: 5, transition: 'ended' }),
        ]),
      ).rejects.toThrow();
      expect(await store.readExecutionTransitions(10)).toEqual([]);
    });

    it('grants a named lease to one holder until it expires or is released', async () => {
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(true);
      expect(await store.acquireLease('scheduler', 'b', 300)).toBe(false);
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(true); // renewed
      await sleep(450);
      expect(await store.acquireLease('scheduler', 'b', 60_000)).toBe(true);
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(false);
      await store.releaseLease('scheduler', 'a'); // not its: no effect
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(false);
      await store.releaseLease('scheduler', 'b');
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(true);
    });

    it('writes a fenced trigger state only while its holder holds the lease, expired or not', async () => {
      const fenced = (n: number, holder: string): TriggerStateUpdate => ({
        namespace: 'n',
        flowId: 'f',
        triggerId: 't',
        state: { n },
        fence: { lease: 'scheduler', holder },
      });
      const stored = async () => (await store.getTriggerState('n', 'f', 't'))?.state;
      await expect(store.saveTriggerState(fenced(1, 'a'))).rejects.toBeInstanceOf(LeaseLostError); // nobody's
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(true);
      await store.saveTriggerState(fenced(1, 'a'));
      await expect(store.saveTriggerState(fenced(2, 'b'))).rejects.toBeInstanceOf(LeaseLostError);
      await sleep(450);
      // Expired, and nobody took it over: nothing another scheduler fired can be overwritten.
      await store.saveTriggerState(fenced(2, 'a'));
      expect(await stored()).toEqual({ n: 2 });
      // Taken over: the former holder writes nothing, with an execution or alone.
      expect(await store.acquireLease('scheduler', 'b', 60_000)).toBe(true);
      await expect(
        store.createExecution(execution('x1'), [{ kind: 'start' }], [fenced(3, 'a')]),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.getExecution('x1')).toBeUndefined();
      expect(await store.pendingEvents(10)).toEqual([]);
      await expect(store.saveTriggerState(fenced(3, 'a'))).rejects.toBeInstanceOf(LeaseLostError);
      await store.createExecution(execution('x1'), [{ kind: 'start' }], [fenced(3, 'b')]);
      expect(await stored()).toEqual({ n: 3 });
      // Unfenced writes (the trigger API of a process that does not fire) are not checked.
      await store.saveTriggerState({ namespace: 'n', flowId: 'f', triggerId: 't', state: { n: 4 } });
      expect(await stored()).toEqual({ n: 4 });
    });

    it('names the holder of a lease while it runs, and nobody once it expired or was released', async () => {
      expect(await store.leaseHolder('scheduler')).toBeUndefined();
      const before = Date.now();
      expect(await store.acquireLease('scheduler', 'a', 300)).toBe(true);
      const held = await store.leaseHolder('scheduler');
      expect(held?.holder).toBe('a');
      const expiresMs = Date.parse(held!.expiresAt);
      expect(expiresMs).toBeGreaterThanOrEqual(before + 300 - 50);
      expect(expiresMs).toBeLessThanOrEqual(Date.now() + 300 + 50);
      expect(await store.leaseHolder('other')).toBeUndefined();
      await sleep(450);
      expect(await store.leaseHolder('scheduler')).toBeUndefined(); // expired: nobody fires
      expect(await store.acquireLease('scheduler', 'b', 60_000)).toBe(true);
      expect((await store.leaseHolder('scheduler'))?.holder).toBe('b');
      await store.releaseLease('scheduler', 'b');
      expect(await store.leaseHolder('scheduler')).toBeUndefined();
    });

    it('reports queue depth, and the age of the oldest unclaimed job and pending event', async () => {
      expect(await store.queueStats()).toEqual({
        pendingJobs: 0,
        claimedJobs: 0,
        oldestPendingJobSeconds: 0,
        pendingEvents: 0,
        oldestPendingEventSeconds: 0,
      });
      await store.createExecution(execution('x1'), [{ kind: 'start' }]);
      await store.commitSteps([step(execution('x1'), { jobs: [job('x1', 'j1')] })]);
      await sleep(400);
      await store.appendEvents([newEvent('x2')]);
      await store.commitSteps([
        step(execution('x1', { version: 2 }), { jobs: [job('x1', 'j2'), job('x1', 'j3')] }),
      ]);
      expect(await store.claimJobs('w1', 1)).toHaveLength(1); // j1, the oldest
      const stats = await store.queueStats();
      expect(stats).toMatchObject({ pendingJobs: 2, claimedJobs: 1, pendingEvents: 2 });
      // The oldest event (x1's start) waited ~400 ms; the oldest unclaimed job (j2) was just queued.
      expect(stats.oldestPendingEventSeconds).toBeGreaterThanOrEqual(0.3);
      expect(stats.oldestPendingEventSeconds).toBeLessThan(30);
      expect(stats.oldestPendingJobSeconds).toBeLessThan(0.3);
      // Consuming x1's start leaves x2's, queued after the sleep.
      const [first] = await store.pendingEvents(1);
      await store.discardEvents([first!.seq]);
      const later = await store.queueStats();
      expect(later.pendingEvents).toBe(1);
      expect(later.oldestPendingEventSeconds).toBeLessThan(0.3);
    });

    it('runs admissions of one flow one at a time, and of other flows alongside', async () => {
      const trace: string[] = [];
      const admission = (flowId: string, name: string) =>
        store.withAdmissionLock('company.team', flowId, async () => {
          trace.push(`${name}+`);
          await sleep(50);
          trace.push(`${name}-`);
          return name;
        });
      const results = await Promise.all([admission('f', 'a'), admission('f', 'b'), admission('g', 'c')]);
      expect(results).toEqual(['a', 'b', 'c']);
      expect(trace.indexOf('a-')).toBeLessThan(trace.indexOf('b+'));
      expect(trace.indexOf('c+')).toBeLessThan(trace.indexOf('a-'));
      // A failing admission releases the lock.
      await expect(
        store.withAdmissionLock('company.team', 'f', () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      expect(await admission('f', 'd')).toBe('d');
    });
  });
}
