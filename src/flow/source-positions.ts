import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from './yaml-package.js';
import type { Document, LineCounter, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { PathSegment, PendingProblem, Problem } from './problems.js';
import { aliasTarget } from './source-tree.js';

/** A YAML document parsed with positions, and the counter that turns offsets into lines. */
export interface PositionedDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The whole file's text (documents share its offsets). */
  text: string;
}

/** Resolves a pending problem's path to a line and column in its document. */
export function resolveProblem(
  positions: PositionedDocument | undefined,
  pending: PendingProblem,
  file?: string,
): Problem {
  const where = (path: readonly PathSegment[], atKey: boolean) =>
    positions ? positions.lineCounter.linePos(locate(positions.doc, path, atKey)) : { line: 1, col: 1 };
  const { line, col } =
    positions && pending.valueOffset !== undefined
      ? positions.lineCounter.linePos(offsetInValue(positions, pending.path, pending.valueOffset))
      : where(pending.path, pending.atKey === true);
  let message = pending.message;
  if (pending.related) message += ` (first declared at line ${where(pending.related, false).line})`;
  return {
    code: pending.code,
    severity: pending.severity,
    message,
    path: pending.path,
    file,
    line,
    column: col,
  };
}

/**
 * The source offset of the node at `path` (or of its key). When the path leaves the document
 * (a missing property, a value that came from pluginDefaults), the deepest node on the way.
 */
export function locate(doc: Document.Parsed, path: readonly PathSegment[], atKey: boolean): number {
  return find(doc, path, atKey).offset;
}

/** The node at `path` (when the path stays in the document) and the offset `locate` gives. */
function find(
  doc: Document.Parsed,
  path: readonly PathSegment[],
  atKey: boolean,
): { node?: Node; offset: number } {
  let node: Node | null | undefined = doc.contents;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    node = resolveAlias(doc, node);
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(segment));
      if (!pair) return { offset: best };
      const key = isNode(pair.key) ? pair.key : undefined;
      if (i === path.length - 1 && atKey && key?.range) return { node: key, offset: key.range[0] };
      node = isNode(pair.value) ? pair.value : undefined;
      best = node?.range?.[0] ?? key?.range?.[0] ?? best;
      if (!node) return { offset: best };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      node = isNode(item) ? item : isPair(item) && isNode(item.key) ? item.key : undefined;
      if (!node) return { offset: best };
      best = node.range?.[0] ?? best;
    } else {
      return { offset: best };
    }
  }
  return { node: node ?? undefined, offset: best };
}

// Each map's pairs by key, built once: validation locates every problem, and a search of the
// map per problem would be quadratic in a flow with many keys and many problems.
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (!index.has(name)) index.set(name, pair); // the first of duplicates, as `find` would
    }
    pairIndexes.set(map, index);
  }
  return index;
}

/**
 * The source offset of a character of a string value (an expression inside a YAML scalar):
 * exact for plain, quoted (without escapes before it) and literal block scalars; the start of
 * the line for folded ones.
 */
function offsetInValue(positions: PositionedDocument, path: readonly PathSegment[], offset: number): number {
  const { doc, text } = positions;
  const start = locate(doc, path, false);
  const node = scalarAt(doc, path);
  if (!node || typeof node.value !== 'string') return start;
  switch (node.type) {
    case 'PLAIN':
      return start + Math.min(offset, node.value.length);
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return start + 1 + offset;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      const lines = blockLines(node, node.value, text, start);
      if (node.type === 'BLOCK_FOLDED') return lines.textStarts[0]! + lines.indent;
      const lineIndex = lastAtOrBefore(lines.valueStarts, offset);
      const column = offset - lines.valueStarts[lineIndex]!;
      const lineStart = lines.textStarts[lineIndex] ?? lines.textStarts.at(-1)!;
      return lineStart + lines.indent + column;
    }
    default:
      return start;
  }
}

/** Where each line of a block scalar starts, in its value and in the text, and its indent. */
interface BlockLines {
  valueStarts: number[];
  textStarts: number[];
  indent: number;
}

// Built once per scalar: a long block (a script) may hold thousands of problems, and walking
// its lines again for each one would be quadratic.
const blockLinesOf = new WeakMap<Scalar, BlockLines>();

function blockLines(node: Scalar, value: string, text: string, start: number): BlockLines {
  let lines = blockLinesOf.get(node);
  if (lines) return lines;
  const valueStarts = [0];
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) valueStarts.push(i + 1);
  // The text's lines, one per line of the value, from the first line after the `|` header.
  const textStarts = [text.indexOf('\n', start) + 1];
  while (textStarts.length < valueStarts.length) {
    const next = text.indexOf('\n', textStarts.at(-1));
    if (next === -1) break;
    textStarts.push(next + 1);
  }
  const firstContent = /^ */.exec(text.slice(textStarts[0]))?.[0].length ?? 0;
  const firstValueIndent = /^ */.exec(value)?.[0].length ?? 0;
  lines = { valueStarts, textStarts, indent: firstContent - firstValueIndent };
  blockLinesOf.set(node, lines);
  return lines;
}

/** The index of the last number of a sorted list that is at most `value` (the list starts at 0). */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

function scalarAt(doc: Document.Parsed, path: readonly PathSegment[]): Scalar | undefined {
  const { node } = find(doc, path, false);
  return isScalar(node) ? node : undefined;
}

function resolveAlias(doc: Document.Parsed, node: Node | null | undefined): Node | null | undefined {
  // An alias's target is an anchored node, never an alias: one step is enough.
  return isAlias(node) ? aliasTarget(doc, node) : node;
}
