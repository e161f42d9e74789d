/**
 * The cluster as the store lists it, for people: each member with the seconds since its last
 * heartbeat, how many members play each role, and who holds the scheduler lease (fires
 * triggers). Read by `/health` and `windhover workers list`.
 */
import { SCHEDULER_LEASE } from '../engine/scheduler/index.js';
import type { ClusterMember, ClusterRole, LeaseHolder, Store } from '../store/contract.js';

/** Every role, in the order they are shown. */
export const CLUSTER_ROLES: readonly ClusterRole[] = ['executor', 'worker', 'scheduler', 'webserver'];

/** A member with its heartbeat's age. */
export interface MemberView extends ClusterMember {
  /** Seconds between its last heartbeat and now, by this machine's clock (skew shows here). */
  secondsSinceHeartbeat: number;
}

export interface ClusterView {
  members: MemberView[];
  /** Members per role (a standalone process counts in all four). */
  roles: Record<ClusterRole, number>;
  /** Who fires triggers now; null when no scheduler holds the lease (none runs, or one just died). */
  schedulerLease: LeaseHolder | null;
}

/** A member with the age of its heartbeat at `nowMs`, to a tenth of a second. */
export function viewOfMember(member: ClusterMember, nowMs: number): MemberView {
  const age = Math.max(0, nowMs - Date.parse(member.heartbeatAt)) / 1000;
  return { ...member, secondsSinceHeartbeat: Math.round(age * 10) / 10 };
}

/** Members per role, every role present (0 when none plays it). */
export function countRoles(members: readonly ClusterMember[]): Record<ClusterRole, number> {
  const counts = { executor: 0, worker: 0, scheduler: 0, webserver: 0 };
  for (const member of members) for (const role of member.roles) counts[role] += 1;
  return counts;
}

/** Reads the members and the scheduler lease (two reads; either failing rejects). */
export async function readClusterView(store: Store, now: () => number = Date.now): Promise<ClusterView> {
  const [members, lease] = await Promise.all([store.listMembers(), store.leaseHolder(SCHEDULER_LEASE)]);
  const nowMs = now();
  return {
    members: members.map((member) => viewOfMember(member, nowMs)),
    roles: countRoles(members),
    schedulerLease: lease ?? null,
  };
}
