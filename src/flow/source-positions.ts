import { isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Scalar } from 'yaml';
import type { PathSegment, PendingProblem, Problem } from './problems.js';

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
  let node: Node | null | undefined = doc.contents;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    node = resolveAlias(doc, node);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return best;
      const key = isNode(pair.key) ? pair.key : undefined;
      if (i === path.length - 1 && atKey && key?.range) return key.range[0];
      node = isNode(pair.value) ? pair.value : undefined;
      best = node?.range?.[0] ?? key?.range?.[0] ?? best;
      if (!node) return best;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      node = isNode(item) ? item : isPair(item) && isNode(item.key) ? item.key : undefined;
      if (!node) return best;
      best = node.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
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
      const before = node.value.slice(0, offset);
      const lineIndex = before.split('\n').length - 1;
      const column = offset - (before.lastIndexOf('\n') + 1);
      let lineStart = text.indexOf('\n', start) + 1; // the first line after the `|` header
      const firstContent = /^ */.exec(text.slice(lineStart))?.[0].length ?? 0;
      const firstValueIndent = /^ */.exec(node.value)?.[0].length ?? 0;
      const indent = firstContent - firstValueIndent;
      if (node.type === 'BLOCK_FOLDED') return lineStart + indent;
      for (let i = 0; i < lineIndex; i++) lineStart = text.indexOf('\n', lineStart) + 1;
      return lineStart + indent + column;
    }
    default:
      return start;
  }
}

function scalarAt(doc: Document.Parsed, path: readonly PathSegment[]): Scalar | undefined {
  const node = doc.getIn(path, true);
  return isScalar(node) ? node : undefined;
}

function resolveAlias(doc: Document.Parsed, node: Node | null | undefined): Node | null | undefined {
  let current = node;
  for (let hops = 0; current && 'source' in current && hops < 100; hops++) {
    const resolved = (current as { resolve?: (d: Document) => Node | undefined }).resolve?.(doc);
    if (!resolved) break;
    current = resolved;
  }
  return current;
}
