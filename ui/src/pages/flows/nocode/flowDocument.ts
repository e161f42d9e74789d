/**
 * The no-code editor's edits of a flow's YAML text, made through the `yaml` Document API so that
 * the comments and formatting of the parts not edited survive. Pure: text in, text out (no DOM),
 * so the edits are unit-tested in Node.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** A place in the flow: keys and list indexes from the top, e.g. `['tasks', 0, 'then']`. */
export type NodePath = Array<string | number>;

/** A YAML mapping as plain values. */
export type Item = Record<string, unknown>;

/** What the form shows of a flow: the whole flow as plain values, with its id, namespace and lists read safely. */
export interface FlowModel {
  id: string;
  namespace: string;
  inputs: Item[];
  tasks: Item[];
  /** Every top-level property (triggers, errors, finally…), as the YAML has it. */
  flow: Item;
}

/** A scalar as a form shows it; maps, lists and nothing show as ''. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
    ? String(value)
    : '';
}

/** `value` as a mapping, `{}` when it is not one. */
export function asItem(value: unknown): Item {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : {};
}

/** `value` as a list of mappings (anything else in it reads as `{}`), `[]` when it is not a list. */
export function asItems(value: unknown): Item[] {
  return (Array.isArray(value) ? (value as unknown[]) : []).map(asItem);
}

/** Reads the form's view of `source`, or the parser's first error when the YAML is broken. */
export function readFlowModel(source: string): { model?: FlowModel; error?: string } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message };
  const flow = asItem(doc.toJS());
  return {
    model: {
      id: scalarText(flow.id),
      namespace: scalarText(flow.namespace),
      inputs: asItems(flow.inputs),
      tasks: asItems(flow.tasks),
      flow,
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
export function setValueAt(source: string, path: NodePath, value: unknown): string {
  return edit(source, (doc) => {
    if (isEmpty(value)) {
      if (doc.hasIn(path)) doc.deleteIn(path);
    } else doc.setIn(path, value);
  });
}

/** Kestra's layout of a flow's top-level keys: a new one goes before the first key listed after it. */
const TOP_LEVEL_ORDER = [
  'id',
  'namespace',
  'description',
  'labels',
  'inputs',
  'variables',
  'tasks',
  'errors',
  'finally',
  'afterExecution',
  'triggers',
];

/** Moves the last key of the top-level mapping (just added) to its place in Kestra's layout. */
function placeNewTopLevelKey(doc: Document, key: string): void {
  const map = doc.contents;
  const rank = TOP_LEVEL_ORDER.indexOf(key);
  if (!isMap(map) || rank === -1) return;
  const index = map.items.findIndex((pair) => {
    const other = TOP_LEVEL_ORDER.indexOf(String((pair.key as { value?: unknown }).value));
    return other > rank;
  });
  if (index === -1 || index === map.items.length - 1) return;
  const added = map.items.pop();
  if (added) map.items.splice(index, 0, added);
}

/**
 * Appends an item to the list at `path` (`['inputs']`, `['tasks', 2, 'then']`…), creating the list
 * when missing (a new top-level list goes where Kestra's layout puts it: inputs before tasks…).
 */
export function addItem(source: string, path: NodePath, item: Item): string {
  return edit(source, (doc) => {
    const seq = doc.getIn(path, true);
    if (isSeq(seq)) {
      // A list emptied by deletes prints as `[]`: the first item added makes it a block list again.
      if (seq.items.length === 0) seq.flow = false;
      seq.items.push(doc.createNode(item));
      return;
    }
    doc.setIn(path, doc.createNode([item]));
    if (path.length === 1) placeNewTopLevelKey(doc, String(path[0]));
  });
}

/** Moves the item at `from` of the list at `path` by `delta` places (−1 up, +1 down); out of range: unchanged. */
export function moveItem(source: string, path: NodePath, from: number, delta: number): string {
  return edit(source, (doc) => {
    const seq = doc.getIn(path, true);
    const to = from + delta;
    if (!isSeq(seq) || to < 0 || to >= seq.items.length || from < 0 || from >= seq.items.length) return;
    const [item] = seq.items.splice(from, 1);
    seq.items.splice(to, 0, item);
  });
}

/** Removes the item at `index` of the list at `path`. */
export function deleteItem(source: string, path: NodePath, index: number): string {
  return edit(source, (doc) => {
    const seq = doc.getIn(path, true);
    if (isSeq(seq) && index >= 0 && index < seq.items.length) seq.items.splice(index, 1);
  });
}

/** Adds the key `key` with an empty list to the mapping at `path` (a Switch's new case); an existing key is kept. */
export function addListKey(source: string, path: NodePath, key: string): string {
  return edit(source, (doc) => {
    if (doc.hasIn([...path, key])) return;
    const list = doc.createNode([]);
    list.flow = true;
    doc.setIn([...path, key], list);
  });
}

/** Removes `key` from the mapping at `path` (a Switch's case), and the mapping when it is left empty. */
export function deleteKey(source: string, path: NodePath, key: string): string {
  return edit(source, (doc) => {
    doc.deleteIn([...path, key]);
    const map = doc.getIn(path, true);
    if (isMap(map) && map.items.length === 0) doc.deleteIn(path);
  });
}

/** Every task id of the flow (nested ones too): a new task's id must be new in the whole flow. */
export function taskIds(value: unknown, ids: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) taskIds(item, ids);
  else if (value && typeof value === 'object') {
    const item = value as Item;
    if (typeof item.id === 'string' && typeof item.type === 'string') ids.push(item.id);
    for (const child of Object.values(item)) if (child && typeof child === 'object') taskIds(child, ids);
  }
  return ids;
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
