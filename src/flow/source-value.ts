import { readFast } from './source-fast.js';
import { MAX_BRACKET_DEPTH, bracketNestingOffset, linePosOf } from './source-text.js';
import { checkTree, TreeValueError, treeValue } from './source-tree.js';
import { MAX_YAML_DEPTH, parsePositionedYaml } from './source-yaml.js';

/**
 * Reading YAML text that is not a flow into a value, linear and bounded whatever the text: the
 * fast reader (js-yaml) first, the careful parser of source-yaml.ts when it cannot.
 */

/** A YAML value, or why the text does not hold one (with its 1-based line and column). */
export type YamlValue = { value: unknown } | { error: string; line: number; column: number };

/**
 * The value of a YAML text that is not a flow (an input of type YAML, the `yaml()` function):
 * its only document (`first`: its first one), null when it has none.
 */
export function readYamlValue(text: string, documents: 'only' | 'first' = 'only'): YamlValue {
  const fail = (offset: number, error: string): YamlValue => {
    const { line, col } = linePosOf(text, offset);
    return { error, line, column: col };
  };
  const bracketsAt = bracketNestingOffset(text);
  if (bracketsAt !== undefined)
    return fail(bracketsAt, `brackets are nested more than ${MAX_BRACKET_DEPTH} levels deep`);
  const several = (count: number) =>
    fail(0, `the text holds ${count} YAML documents (separated by \`---\`), not one`);

  const fast = readFast(text);
  if (fast) {
    if (documents === 'only' && fast.length > 1) return several(fast.length);
    return { value: fast[0] ?? null };
  }
  const parsed = parsePositionedYaml(text);
  if ('tooDeepAt' in parsed)
    return fail(parsed.tooDeepAt, `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep`);
  if (documents === 'only' && parsed.documents.length > 1) return several(parsed.documents.length);
  const doc = parsed.documents[0];
  if (!doc) return { value: null };
  const error = doc.errors[0];
  if (error) return fail(error.pos[0], firstLine(error.message));
  const issue = checkTree(doc)[0];
  if (issue) return fail(issue.offset, issue.message);
  try {
    return { value: treeValue(doc) };
  } catch (thrown) {
    if (thrown instanceof TreeValueError) return fail(thrown.offset, thrown.message);
    throw thrown;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
