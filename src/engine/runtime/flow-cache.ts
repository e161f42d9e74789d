import type { Flow } from '../../flow/model.js';
import type { Store } from '../../store/contract.js';

/** Flow revisions read from the store, kept parsed (a revision never changes). */
export class FlowCache {
  private readonly revisions = new Map<string, Flow>();

  constructor(private readonly store: Store) {}

  /** A revision of a flow, or the latest one. */
  async get(namespace: string, flowId: string, revision?: number): Promise<Flow | undefined> {
    if (revision !== undefined) {
      const hit = this.revisions.get(key(namespace, flowId, revision));
      if (hit) return hit;
    }
    const stored = await this.store.getFlow(namespace, flowId, revision);
    if (!stored || (revision === undefined && stored.deleted)) return undefined;
    // The stored definition is the validated flow (src/flow/model.ts), saved as JSON.
    const flow = { ...(stored.definition as unknown as Flow), revision: stored.revision };
    this.revisions.set(key(namespace, flowId, stored.revision), flow);
    return flow;
  }
}

function key(namespace: string, flowId: string, revision: number): string {
  return `${namespace}\u0000${flowId}\u0000${revision}`;
}
