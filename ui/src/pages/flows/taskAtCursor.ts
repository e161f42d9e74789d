/** Finds the plugin `type:` of the YAML block (task, trigger…) that holds a position in the source. */
import { isMap, parseDocument, visit } from 'yaml';

/** The `type` of the innermost mapping around `offset` that has one (a dotted plugin name), if any. */
export function pluginTypeAt(source: string, offset: number): string | undefined {
  let found: { type: string; size: number } | undefined;
  let document;
  try {
    document = parseDocument(source);
  } catch {
    return undefined;
  }
  visit(document, {
    Map(_key, node) {
      if (!isMap(node) || !node.range) return;
      const [start, , end] = node.range;
      if (offset < start || offset > end) return;
      const type: unknown = node.get('type');
      if (typeof type !== 'string' || !type.includes('.')) return;
      const size = end - start;
      if (!found || size < found.size) found = { type, size };
    },
  });
  return found?.type;
}
