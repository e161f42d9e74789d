import { ProblemCodes } from '../errors.js';
import type { Problem } from './problems.js';
import type { PositionedDocument } from './source-positions.js';
import { fileProblem, readFlowText } from './source-text.js';
import { checkTree, TreeValueError, treeValue } from './source-tree.js';
import type { TreeIssue } from './source-tree.js';
import { readFast } from './source-fast.js';
import { parsePositionedYaml } from './source-yaml.js';

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
const NESTED_TOO_DEEPLY = 'the YAML is nested too deeply to read';

/**
 * Loads the YAML documents of a flow file. Never throws: encoding errors, syntax errors,
 * duplicate keys, excessive nesting and alias bombs all become problems with a position. Linear
 * in the size of the text.
 *
 * Two parsers, for speed: js-yaml reads the values (7x faster), and the `yaml` package, which
 * keeps source positions, parses the file only when a position is asked for (there is a
 * problem to report) or when js-yaml cannot read the file as the `yaml` package would (see
 * source-fast.ts).
 */
export function loadYamlSource(input: string | Uint8Array, file?: string): LoadedSource {
  const read = readFlowText(input, file);
  if ('problem' in read) return { file, documents: [], problems: [read.problem] };
  const text = read.text;
  return loadFast(text, file) ?? loadPositioned(text, file);
}

function loadFast(text: string, file?: string): LoadedSource | undefined {
  const values = readFast(text);
  if (!values) return undefined;
  let positioned: Array<PositionedDocument | undefined> | undefined;
  const positionsOf = (index: number) => {
    if (!positioned) {
      const parsed = parsePositionedYaml(text);
      positioned =
        'documents' in parsed
          ? parsed.documents.map((doc) => ({ doc, lineCounter: parsed.lineCounter, text }))
          : [];
    }
    return positioned[index];
  };
  return finish(
    file,
    values.map((value, index) => ({ index, value, positions: () => positionsOf(index) })),
    [],
  );
}

function loadPositioned(text: string, file?: string): LoadedSource {
  const parsed = parsePositionedYaml(text);
  const { lineCounter } = parsed;
  const at = (offset: number, code: Problem['code'], message: string): Problem => {
    const { line, col } = lineCounter.linePos(offset);
    return fileProblem(file, code, message, line, col);
  };
  if ('tooDeepAt' in parsed) {
    // The words of the parser's own stack-overflow error, which this check stands in for.
    const problem = at(parsed.tooDeepAt, ProblemCodes.TOO_COMPLEX, `YAML syntax error: ${NESTED_TOO_DEEPLY}`);
    return { file, documents: [], problems: [problem] };
  }
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  parsed.documents.forEach((doc, index) => {
    // One syntax error usually causes the next ones: report a few, one per line at most.
    const reported = new Set<number | string>();
    const report = (offset: number, code: Problem['code'], message: string) => {
      const problem = at(offset, code, message);
      if (reported.has(problem.line) || reported.has(message) || reported.size >= 2 * MAX_SYNTAX_ERRORS)
        return;
      reported.add(problem.line).add(message);
      problems.push(problem);
    };
    for (const error of doc.errors) {
      report(
        error.pos[0],
        ProblemCodes.YAML_SYNTAX,
        `YAML syntax error: ${yamlErrorMessage(error.code, error.message)}`,
      );
    }
    if (doc.errors.length > 0) return;
    const issues = checkTree(doc);
    for (const issue of issues) report(issue.offset, issueCode(issue), issueMessage(issue));
    if (issues.length > 0) return;
    let value: unknown;
    try {
      value = treeValue(doc);
    } catch (error) {
      if (!(error instanceof TreeValueError)) throw error;
      report(error.offset, ProblemCodes.YAML_SYNTAX, `YAML syntax error: ${error.message}`);
      return;
    }
    documents.push({ index, value, positions: () => ({ doc, lineCounter, text }) });
  });
  return finish(file, documents, problems);
}

function issueCode(issue: TreeIssue): Problem['code'] {
  return issue.kind === 'alias-bomb' || issue.kind === 'too-deep'
    ? ProblemCodes.TOO_COMPLEX
    : ProblemCodes.YAML_SYNTAX;
}

function issueMessage(issue: TreeIssue): string {
  return issue.kind === 'alias-bomb' ? issue.message : `YAML syntax error: ${issue.message}`;
}

/** Drops empty documents (only comments, or an empty `---`) and reports a file with no flow. */
function finish(file: string | undefined, documents: SourceDocument[], problems: Problem[]): LoadedSource {
  const flows = documents.filter((d) => d.value !== null && d.value !== undefined);
  if (flows.length === 0 && problems.length === 0) {
    problems.push(fileProblem(file, ProblemCodes.EMPTY, 'no flow found: the file is empty', 1, 1));
  }
  return { file, documents: flows, problems };
}

/** The yaml package's message, made specific where it can be (which key, what to check). */
function yamlErrorMessage(code: string, message: string): string {
  const firstLine = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
  if (firstLine.includes('Maximum call stack size exceeded')) return NESTED_TOO_DEEPLY;
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR' || code === 'BAD_SCALAR_START') {
    return `${firstLine} (check the indentation and quoting of this line and the one before)`;
  }
  return firstLine;
}
