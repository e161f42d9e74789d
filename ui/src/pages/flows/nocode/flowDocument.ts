/**
 * The no-code editor's edits of a flow's YAML text, made through the `yaml` Document API so that
 * the comments and formatting of the parts not edited survive. Pure: text in, text out (no DOM),
 * so the edits are unit-tested in Node.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** What the form shows of a flow: the top-level fields, inputs and tasks as plain values. */
export interface FlowModel {
  id: string;
  namespace: string;
  inputs: Array<Record<string, unknown>>;
  tasks: Array<Record<string, unknown>>;
}

/** The list sections the form edits. */
export type FlowList = 'inputs' | 'tasks';

/** A scalar as a form shows it; maps, lists and nothing show as ''. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
    ? String(value)
    : '';
}

/** Reads the form's view of `source`, or the parser's first error when the YAML is broken. */
export function readFlowModel(source: string): { model?: FlowModel; error?: string } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message };
  const value: unknown = doc.toJS();
  const flow = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<
    string,
    unknown
  >;
  const list = (key: FlowList) =>
    (Array.isArray(flow[key]) ? (flow[key] as unknown[]) : []).map((item) =>
      item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {},
    );
  return {
    model: {
      id: scalarText(flow.id),
      namespace: scalarText(flow.namespace),
      inputs: list('inputs'),
      tasks: list('tasks'),
    },
  };
}

function edit(source: string, change: (doc: Document) => void): string {
  const doc: Document = parseDocument(source);
  if (doc.errors.length > 0) return source;
  // An empty text (or a scalar) becomes a mapping: the form always edits one.
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  change(doc);
  return doc.toString({ lineWidth: 0 });
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || value === null;
}

/**
 * Sets (or, for an empty value, removes) the value at `path` (e.g. `['tasks', 0, 'message']`).
 * An existing scalar keeps its comments: the Document API changes its value in place.
 */
export function setValueAt(source: string, path: Array<string | number>, value: unknown): string {
  return edit(source, (doc) => {
    if (isEmpty(value)) {
      if (doc.hasIn(path)) doc.deleteIn(path);
    } else doc.setIn(path, value);
  });
}

/** Appends an item to `inputs` or `tasks` (created, before `tasks` for inputs, when missing). */
export function addItem(source: string, list: FlowList, item: Record<string, unknown>): string {
  return edit(source, (doc) => {
    const seq = doc.get(list, true);
    if (isSeq(seq)) {
      // A list emptied by deletes prints as `[]`: the first item added makes it a block list again.
      if (seq.items.length === 0) seq.flow = false;
      seq.items.push(doc.createNode(item));
      return;
    }
    doc.set(list, doc.createNode([item]));
    // Kestra's layout: id, namespace, inputs, then tasks; a new `inputs` goes before `tasks`.
    const map = doc.contents;
    if (list === 'inputs' && isMap(map)) {
      const index = map.items.findIndex(
        (pair) => String((pair.key as { value?: unknown }).value) === 'tasks',
      );
      const added = map.items.pop();
      if (added) map.items.splice(index === -1 ? map.items.length : index, 0, added);
    }
  });
}

/** Moves the item at `from` of a list by `delta` places (−1 up, +1 down); out of range: unchanged. */
export function moveItem(source: string, list: FlowList, from: number, delta: number): string {
  return edit(source, (doc) => {
    const seq = doc.get(list, true);
    const to = from + delta;
    if (!isSeq(seq) || to < 0 || to >= seq.items.length || from < 0 || from >= seq.items.length) return;
    const [item] = seq.items.splice(from, 1);
    seq.items.splice(to, 0, item);
  });
}

/** Removes the item at `index` of a list. */
export function deleteItem(source: string, list: FlowList, index: number): string {
  return edit(source, (doc) => {
    const seq = doc.get(list, true);
    if (isSeq(seq) && index >= 0 && index < seq.items.length) seq.items.splice(index, 1);
  });
}

/** A task id not used yet in the flow, from the type's last name (`Log` → `log`, `log_2`…). */
export function freshTaskId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    (type.split('.').pop() ?? 'task')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_') || 'task';
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}
