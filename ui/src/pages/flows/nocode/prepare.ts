/**
 * What the no-code view computes before it can show a form, cached so that it can be computed
 * ahead, while the YAML view is idle: the first switch to no-code then only renders (see
 * bench/ui-nocode.ts). The flow model is kept for the last text read; what comes from the schema,
 * once per schema.
 */
import { useEffect } from 'react';
import { readFlowModel, taskIds } from './flowDocument';
import type { FlowModel } from './flowDocument';
import { commonTaskProperties, fieldOf, isCardList, taskTypes } from './schemaFields';
import type { FieldSpec, PluginKind, SchemaNode } from './schemaFields';

/** The form's view of a text, with every task and trigger id in it. */
export interface PreparedFlow {
  model?: FlowModel;
  error?: string;
  ids: string[];
}

let last: { source: string; prepared: PreparedFlow } | undefined;

/** `readFlowModel(source)` and its ids, computed once for the last text asked for. */
export function preparedFlow(source: string): PreparedFlow {
  if (last?.source === source) return last.prepared;
  const { model, error } = readFlowModel(source);
  const prepared: PreparedFlow = {
    ...(model ? { model } : {}),
    ...(error ? { error } : {}),
    ids: model ? taskIds(model.flow) : [],
  };
  last = { source, prepared };
  return prepared;
}

/** What the forms read from the schema: the properties every task has, the types to add, the flow's lists. */
export interface PreparedSchema {
  common: Set<string>;
  types: Record<PluginKind, string[]>;
  /** The flow's properties that hold tasks or triggers, in the schema's order. */
  lists: FieldSpec[];
}

const bySchema = new WeakMap<SchemaNode, PreparedSchema>();

/** The schema's derived values, computed once per schema object. */
export function preparedSchema(schema: SchemaNode): PreparedSchema {
  let prepared = bySchema.get(schema);
  if (!prepared) {
    prepared = {
      common: commonTaskProperties(schema),
      types: { task: taskTypes(schema, 'task'), trigger: taskTypes(schema, 'trigger') },
      lists: Object.entries(schema.properties ?? {})
        .map(([name, node]) => fieldOf(name, node, false))
        .filter(isCardList),
    };
    bySchema.set(schema, prepared);
  }
  return prepared;
}

/** How long the text must rest before it is read ahead (typing is not slowed down). */
const IDLE_AFTER_MS = 400;

/**
 * Reads `source` and the schema ahead while the YAML view is idle (`enabled`), so that the switch
 * to no-code finds them ready.
 */
export function usePrepareNoCode(source: string, schema: SchemaNode | undefined, enabled: boolean): void {
  useEffect(() => {
    if (!enabled || !schema) return;
    let idle: number | undefined;
    const timer = window.setTimeout(() => {
      const prepare = () => {
        preparedSchema(schema);
        preparedFlow(source);
      };
      // Safari has no requestIdleCallback: a plain task then.
      if ('requestIdleCallback' in window) idle = window.requestIdleCallback(prepare, { timeout: 2_000 });
      else prepare();
    }, IDLE_AFTER_MS);
    return () => {
      window.clearTimeout(timer);
      if (idle !== undefined) window.cancelIdleCallback(idle);
    };
  }, [source, schema, enabled]);
}
