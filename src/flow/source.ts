import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { ProblemCodes } from '../errors.js';
import type { PathSegment, PendingProblem, Problem } from './problems.js';

/** One YAML document of a file, kept with what is needed to point at its nodes. */
export interface SourceDocument {
  /** 0-based index of the document in its file (documents separated by `---`). */
  index: number;
  value: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface LoadedSource {
  file?: string;
  documents: SourceDocument[];
  /** Problems that concern the file as a whole (syntax, encoding, emptiness). */
  problems: Problem[];
}

const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/; // eslint-disable-line no-control-regex

/**
 * Loads the YAML documents of a flow file, keeping source positions. Never throws: encoding
 * errors, syntax errors, excessive nesting and alias bombs all become problems with a position.
 */
export function loadYamlSource(input: string | Uint8Array, file?: string): LoadedSource {
  const decoded = decodeText(input, file);
  if ('problem' in decoded) return { file, documents: [], problems: [decoded.problem] };
  const text = decoded.text;
  const lineCounter = new LineCounter();
  const at = (offset: number) => lineCounter.linePos(offset);
  const problems: Problem[] = [];

  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    // YAML forbids raw control characters anywhere; they almost always mean a binary file.
    const { line, col } = linePosOf(text, control.index);
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      file,
      documents: [],
      problems: [
        problem(file, ProblemCodes.NOT_TEXT, `not a YAML text file: control character U+${code}`, line, col),
      ],
    };
  }

  let parsed: Document.Parsed[];
  try {
    parsed = [
      ...parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false }),
    ];
  } catch (error) {
    return { file, documents: [], problems: [tooComplex(file, error)] };
  }

  const documents: SourceDocument[] = [];
  parsed.forEach((doc, index) => {
    for (const error of doc.errors) {
      const { line, col } = at(error.pos[0]);
      problems.push(
        problem(
          file,
          ProblemCodes.YAML_SYNTAX,
          `YAML syntax error: ${cleanYamlMessage(error.message)}`,
          line,
          col,
        ),
      );
    }
    if (doc.errors.length > 0) return;
    if (doc.contents === null) return; // an empty document between `---` separators
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const { line, col } = at(doc.contents.range?.[0] ?? 0);
      problems.push({ ...tooComplex(file, error), line, column: col });
      return;
    }
    documents.push({ index, value, doc, lineCounter });
  });

  if (documents.length === 0 && problems.length === 0) {
    problems.push(problem(file, ProblemCodes.EMPTY, 'no flow found: the file is empty', 1, 1));
  }
  return { file, documents, problems };
}

/** Resolves a pending problem's path to a line and column in its document. */
export function resolveProblem(source: SourceDocument, pending: PendingProblem, file?: string): Problem {
  const offset = locate(source.doc, pending.path, pending.atKey === true);
  const { line, col } = source.lineCounter.linePos(offset);
  let message = pending.message;
  if (pending.related) {
    const other = source.lineCounter.linePos(locate(source.doc, pending.related, false));
    message += ` (first declared at line ${other.line})`;
  }
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

function resolveAlias(doc: Document.Parsed, node: Node | null | undefined): Node | null | undefined {
  let current = node;
  for (let hops = 0; current && 'source' in current && hops < 100; hops++) {
    const resolved = (current as { resolve?: (d: Document) => Node | undefined }).resolve?.(doc);
    if (!resolved) break;
    current = resolved;
  }
  return current;
}

function decodeText(input: string | Uint8Array, file?: string): { text: string } | { problem: Problem } {
  if (typeof input === 'string') return { text: stripBom(input) };
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(input)) };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(input);
    const bad = Math.max(0, lenient.indexOf('\uFFFD'));
    const { line, col } = linePosOf(lenient, bad);
    return {
      problem: problem(file, ProblemCodes.NOT_TEXT, 'not a YAML text file: invalid UTF-8', line, col),
    };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function linePosOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

function cleanYamlMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function tooComplex(file: string | undefined, error: unknown): Problem {
  const reason =
    error instanceof RangeError
      ? 'the YAML is nested too deeply to read'
      : `the YAML cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  return problem(file, ProblemCodes.TOO_COMPLEX, reason, 1, 1);
}

function problem(
  file: string | undefined,
  code: Problem['code'],
  message: string,
  line: number,
  column: number,
): Problem {
  return { code, severity: 'error', message, path: [], file, line, column };
}
