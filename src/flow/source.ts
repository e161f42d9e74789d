import jsYaml from 'js-yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { ProblemCodes } from '../errors.js';
import type { Problem } from './problems.js';
import type { PositionedDocument } from './source-positions.js';
import { fileProblem, readFlowText } from './source-text.js';

/** One YAML document of a file: its value, and its positions, parsed when first needed. */
export interface SourceDocument {
  /** 0-based index of the document in its file (documents separated by `---`). */
  index: number;
  value: unknown;
  /** The document with source positions; undefined if the positioned parse disagrees. */
  positions(): PositionedDocument | undefined;
}

export interface LoadedSource {
  file?: string;
  documents: SourceDocument[];
  /** Problems that concern the file as a whole (syntax, encoding, emptiness). */
  problems: Problem[];
}

const MAX_SYNTAX_ERRORS = 5;
const MAX_ALIAS_COUNT = 1000;

// YAML 1.2 core schema (as the `yaml` package reads it: `2024-02-05` stays a string) plus `<<`.
// (js-yaml exports `types` at run time; its type definitions omit it.)
const mergeType = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge;
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend([mergeType]);
/**
 * Loads the YAML documents of a flow file. Never throws: encoding errors, syntax errors,
 * excessive nesting and alias bombs all become problems with a position.
 *
 * Two parsers, for speed: js-yaml reads the values (7x faster), and the `yaml` package, which
 * keeps source positions, parses the file only when a position is asked for (there is a
 * problem to report) or when js-yaml fails or the file uses anchors and aliases.
 */
export function loadYamlSource(input: string | Uint8Array, file?: string): LoadedSource {
  const read = readFlowText(input, file);
  if ('problem' in read) return { file, documents: [], problems: [read.problem] };
  const text = read.text;
  return loadFast(text, file) ?? loadPositioned(text, file);
}

function loadFast(text: string, file?: string): LoadedSource | undefined {
  let values: unknown[];
  let anchors = false;
  // js-yaml shares aliased nodes without limit; a file with anchors goes to the careful
  // parser, which caps alias expansion. (`anchor` is on js-yaml's state; its types omit it.)
  const listener = (event: string, state: unknown) => {
    if (event === 'close' && (state as { anchor: string | null }).anchor !== null) anchors = true;
  };
  try {
    values = jsYaml.loadAll(text, undefined, { schema: FAST_SCHEMA, listener });
  } catch {
    return undefined; // the positioned parser will say what is wrong, and where
  }
  if (anchors) return undefined;
  let positioned: PositionedDocument[] | undefined;
  const positionsOf = (index: number) => {
    positioned ??= parsePositioned(text).map((doc) => ({ doc, lineCounter: positionedCounter(doc), text }));
    return positioned[index];
  };
  return finish(
    file,
    values.map((value, index) => ({ index, value, positions: () => positionsOf(index) })),
    [],
  );
}

function loadPositioned(text: string, file?: string): LoadedSource {
  const lineCounter = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, {
      lineCounter,
      merge: true,
      uniqueKeys: true,
      prettyErrors: false,
      logLevel: 'error',
    }) as Document.Parsed[];
    parsed = [...parsed];
  } catch (error) {
    return { file, documents: [], problems: [unreadable(file, error)] };
  }
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  parsed.forEach((doc, index) => {
    // One syntax error usually causes the next ones: report a few, one per line at most.
    const reported = new Set<number | string>();
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const message = `YAML syntax error: ${yamlErrorMessage(error.code, error.message, text, error.pos[0])}`;
      if (reported.has(line) || reported.has(message) || reported.size >= 2 * MAX_SYNTAX_ERRORS) continue;
      reported.add(line).add(message);
      problems.push(fileProblem(file, ProblemCodes.YAML_SYNTAX, message, line, col));
    }
    if (doc.errors.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
      problems.push({ ...unreadable(file, error), line, column: col });
      return;
    }
    documents.push({ index, value, positions: () => ({ doc, lineCounter, text }) });
  });
  return finish(file, documents, problems);
}

/** Drops empty documents (only comments, or an empty `---`) and reports a file with no flow. */
function finish(file: string | undefined, documents: SourceDocument[], problems: Problem[]): LoadedSource {
  const flows = documents.filter((d) => d.value !== null && d.value !== undefined);
  if (flows.length === 0 && problems.length === 0) {
    problems.push(fileProblem(file, ProblemCodes.EMPTY, 'no flow found: the file is empty', 1, 1));
  }
  return { file, documents: flows, problems };
}

// One LineCounter serves every document of a file: the documents share the text's offsets.
const counters = new WeakMap<Document.Parsed, LineCounter>();

function parsePositioned(text: string): Document.Parsed[] {
  const lineCounter = new LineCounter();
  const docs = [
    ...(parseAllDocuments(text, { lineCounter, merge: true, logLevel: 'error' }) as Document.Parsed[]),
  ];
  for (const doc of docs) counters.set(doc, lineCounter);
  return docs;
}

function positionedCounter(doc: Document.Parsed): LineCounter {
  return counters.get(doc)!;
}

/** The yaml package's message, made specific where it can be (which key, what to check). */
function yamlErrorMessage(code: string, message: string, text: string, offset: number): string {
  const firstLine = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
  if (firstLine.includes('Maximum call stack size exceeded')) return 'the YAML is nested too deeply to read';
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]*/.exec(text.slice(offset))?.[0].trim();
    return key ? `duplicate key \`${key}\`: keys must be unique in a map` : firstLine;
  }
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR' || code === 'BAD_SCALAR_START') {
    return `${firstLine} (check the indentation and quoting of this line and the one before)`;
  }
  return firstLine;
}

function unreadable(file: string | undefined, error: unknown): Problem {
  const reason =
    error instanceof RangeError
      ? 'the YAML is nested too deeply to read'
      : `the YAML cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  return fileProblem(file, ProblemCodes.TOO_COMPLEX, reason, 1, 1);
}
