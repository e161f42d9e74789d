import type { CST, Document, LineCounter } from 'yaml';
import { yamlPackage } from './yaml-package.js';

/**
 * The careful YAML parser (the `yaml` package, which keeps source positions), made linear and
 * bounded: the package's duplicate-key check compares each key with every key before it in its
 * map (quadratic: 40,000 keys took 40 s), so it is off and source-tree.ts finds duplicates
 * with one set per map; and the package composes nodes recursively, so a document nested
 * deeper than MAX_YAML_DEPTH is refused from its syntax tree (built without recursion) before
 * it is composed. A stack overflow must never happen: after one inside the parser, Node 20 has
 * been seen to abort the whole process on a later parse ("RegExpCompiler Allocation failed").
 */

/** Collections nested deeper than this are refused (the parser overflows the stack near 1,000). */
export const MAX_YAML_DEPTH = 300;

/** The documents of a YAML text, with positions, or where the text nests too deeply. */
export type PositionedParse =
  | { documents: Document.Parsed[]; lineCounter: LineCounter }
  | { tooDeepAt: number; lineCounter: LineCounter };

/** Parses every document of a text with positions, in time linear in its length. */
export function parsePositionedYaml(text: string): PositionedParse {
  const { Composer, LineCounter, Parser } = yamlPackage();
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ merge: true, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const documents: Document.Parsed[] = [];
  for (const token of parser.parse(text)) {
    const tooDeepAt = offsetPastDepth(token, MAX_YAML_DEPTH);
    if (tooDeepAt !== undefined) return { tooDeepAt, lineCounter };
    for (const document of composer.next(token)) documents.push(document);
  }
  for (const document of composer.end()) documents.push(document);
  return { documents, lineCounter };
}

/** The offset of the first collection nested deeper than `max` in a token, or undefined. */
function offsetPastDepth(token: CST.Token, max: number): number | undefined {
  // An explicit stack: the syntax tree may be nested far deeper than the call stack allows.
  const stack: Array<{ token: CST.Token; depth: number }> = [{ token, depth: 0 }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const current = entry.token;
    if (current.type === 'document') {
      if (current.value) stack.push({ token: current.value, depth: entry.depth });
    } else if (
      current.type === 'block-map' ||
      current.type === 'block-seq' ||
      current.type === 'flow-collection'
    ) {
      const depth = entry.depth + 1;
      if (depth > max) return current.offset;
      for (const item of current.items as CST.CollectionItem[]) {
        if (item.key) stack.push({ token: item.key, depth });
        if (item.value) stack.push({ token: item.value, depth });
      }
    }
  }
  return undefined;
}
