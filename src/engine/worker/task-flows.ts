/**
 * The flows a task may read and write (`ctx.flows`, for SyncFlows and PushFlows): the store's
 * latest revisions, and saves validated against the plugin catalog as a deployment is. The
 * scheduler learns about saved flows at its next re-read of the flows (every 30 s, 5 s in a
 * cluster), as for flows saved by another process.
 */
import type { PluginCatalog } from '../../flow/catalog.js';
import { formatProblem, validateFlowSource } from '../../flow/index.js';
import type { Flow } from '../../flow/model.js';
import { TaskFailure } from '../../plugins/context.js';
import type { TaskFlowSource, TaskFlows } from '../../plugins/context.js';
import { withPluginsFor } from '../../plugins/on-demand.js';
import type { Store } from '../../store/contract.js';

const PAGE_SIZE = 500;

/** `ctx.flows` over a store, validating with `catalog`. */
export function taskFlows(store: Store, catalog: PluginCatalog): TaskFlows {
  const validate = async (source: string): Promise<{ flow: Flow } | { errors: string[] }> => {
    // The on-demand catalog imports the plugins a flow names before it can check them.
    const check = () => validateFlowSource(source, { catalog });
    const result = await withPluginsFor(source, check, catalog);
    const errors = [...result.problems, ...result.flows.flatMap((f) => f.problems)]
      .filter((p) => p.severity === 'error')
      .map((p) => formatProblem(p));
    const flow = result.flows.length === 1 ? result.flows[0]!.flow : undefined;
    if (errors.length > 0 || !flow)
      return { errors: errors.length > 0 ? errors : ['the text must hold exactly one flow'] };
    return { flow };
  };
  return {
    async list(namespace, options = {}) {
      const flows: TaskFlowSource[] = [];
      for (let page = 1; ; page++) {
        const { results } = await store.listFlows({ namespace, page, size: PAGE_SIZE });
        for (const f of results)
          if (options.children || f.namespace === namespace)
            flows.push({ namespace: f.namespace, id: f.id, revision: f.revision, source: f.source });
        if (results.length < PAGE_SIZE) break;
      }
      return flows;
    },
    async check(source) {
      const checked = await validate(source);
      return 'flow' in checked ? { namespace: checked.flow.namespace, id: checked.flow.id } : checked;
    },
    async save(source) {
      const checked = await validate(source);
      if (!('flow' in checked))
        throw new TaskFailure(`The flow does not validate:\n  ${checked.errors.join('\n  ')}`);
      const { flow } = checked;
      const saved = await store.saveFlow({
        namespace: flow.namespace,
        id: flow.id,
        source,
        definition: flow as unknown as Record<string, unknown>,
      });
      return {
        namespace: flow.namespace,
        id: flow.id,
        revision: saved.flow.revision,
        changed: saved.changed,
        created: saved.created,
      };
    },
    delete: (namespace, id) => store.deleteFlow(namespace, id),
  };
}
