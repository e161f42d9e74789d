import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from './yaml-package.js';
import type { Alias, Document, Node, Pair } from 'yaml';
import { MAX_YAML_DEPTH } from './source-yaml.js';

/**
 * Checks and values of a document parsed with positions, each in one pass over its nodes:
 * duplicate keys (one set per map), aliases (each resolved once, by a map of anchors, where the
 * `yaml` package searches the document again for every alias), alias bombs (the size an alias
 * expands to is summed, never expanded), and the plain value the document holds.
 */

/**
 * The most a document's values may weigh once its aliases are expanded (a value weighs 1, and a
 * string or key 1 more per character): twice its text, which YAML without aliases never passes,
 * and 100,000 more. An alias bomb weighs billions; every later walk of the values (validation,
 * storing them as JSON) costs what they weigh, so this keeps it proportional to the text.
 */
export function maxExpandedWeight(textLength: number): number {
  return 2 * textLength + 100_000;
}

/** What the weight of a string adds to its value's. */
export function stringWeight(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

/** What is wrong with a document's tree, at a source offset. */
export interface TreeIssue {
  offset: number;
  kind: 'duplicate-key' | 'undefined-alias' | 'recursive-alias' | 'too-deep' | 'alias-bomb';
  message: string;
}

/** The anchored node each alias of a document stands for (absent: the alias has no anchor). */
export type AliasTargets = Map<Alias, Node>;

interface Measure {
  size: number;
  height: number;
}

const MAX_ISSUES = 20;
const targetsOf = new WeakMap<Document.Parsed, AliasTargets>();

/**
 * Finds duplicate keys, aliases without an anchor before them, aliases inside the node they
 * name, aliases that nest their value past MAX_YAML_DEPTH, and alias bombs (values that weigh
 * more than maxExpandedWeight of the document's text once expanded). Linear in the nodes.
 * (Recursive: the parser refused documents nested deeper than MAX_YAML_DEPTH.)
 */
export function checkTree(doc: Document.Parsed): TreeIssue[] {
  const issues: TreeIssue[] = [];
  const report = (issue: TreeIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };
  const targets: AliasTargets = new Map();
  const anchors = new Map<string, Node>();
  const open = new Set<Node>();
  // What each completed anchored node expands to: its weight (capped past the limit) and its
  // height (the collections nested in it, itself included).
  const measures = new Map<Node, Measure>();
  const [start, , end] = doc.range;
  const limit = maxExpandedWeight(end - start);
  const cap = limit + 1;
  const scalar: Measure = { size: 1, height: 0 };

  // `depth`: the collections around the value.
  const visit = (value: unknown, depth: number): Measure => {
    if (isPair(value)) {
      const key = visit(value.key, depth);
      const item = visit(value.value, depth);
      return { size: key.size + item.size, height: Math.max(key.height, item.height) };
    }
    if (!isNode(value)) return scalar;
    if (isAlias(value)) return visitAlias(value, depth);
    if (isScalar(value)) {
      const measure = { size: 1 + stringWeight(value.value), height: 0 };
      if (value.anchor) {
        anchors.set(value.anchor, value);
        measures.set(value, measure);
      }
      return measure;
    }
    if (value.anchor) {
      anchors.set(value.anchor, value);
      open.add(value);
    }
    let size = 1;
    let height = 0;
    const add = (measure: Measure) => {
      size = Math.min(cap, size + measure.size);
      height = Math.max(height, measure.height);
    };
    if (isMap(value)) {
      const keys = new Set<unknown>();
      for (const pair of value.items) {
        const key = pair.key;
        // Same rule as the package's check: scalar keys with the same value are duplicates.
        if (isScalar(key) && typeof key.value !== 'symbol') {
          if (keys.has(key.value))
            report({
              offset: key.range?.[0] ?? 0,
              kind: 'duplicate-key',
              message: `duplicate key \`${String(key.value)}\`: keys must be unique in a map`,
            });
          keys.add(key.value);
        }
        add(visit(pair, depth + 1));
      }
    } else if (isSeq(value)) {
      for (const item of value.items) add(visit(item, depth + 1));
    }
    const measure = { size, height: isMap(value) || isSeq(value) ? height + 1 : 0 };
    if (value.anchor) {
      open.delete(value);
      measures.set(value, measure);
    }
    return measure;
  };

  const visitAlias = (alias: Alias, depth: number): Measure => {
    const at = alias.range?.[0] ?? 0;
    const target = anchors.get(alias.source);
    if (!target) {
      report({
        offset: at,
        kind: 'undefined-alias',
        message: `the alias \`*${alias.source}\` has no anchor \`&${alias.source}\` before it`,
      });
      return scalar;
    }
    targets.set(alias, target);
    const measure = measures.get(target);
    if (!measure) {
      report({
        offset: at,
        kind: 'recursive-alias',
        message: `the alias \`*${alias.source}\` is inside the value its anchor \`&${alias.source}\` names`,
      });
      return scalar;
    }
    if (depth + measure.height > MAX_YAML_DEPTH)
      report({
        offset: at,
        kind: 'too-deep',
        message: `the alias \`*${alias.source}\` nests its value more than ${MAX_YAML_DEPTH} levels deep`,
      });
    return measure;
  };

  if (visit(doc.contents, 0).size > limit)
    report({
      offset: doc.contents?.range[0] ?? 0,
      kind: 'alias-bomb',
      // The `yaml` package's words, which users and tests already know.
      message: 'the YAML cannot be read: Excessive alias count indicates a resource exhaustion attack',
    });
  targetsOf.set(doc, targets);
  return issues;
}

/** The anchored node an alias stands for, or undefined (resolved once per document). */
export function aliasTarget(doc: Document.Parsed, alias: Alias): Node | undefined {
  let targets = targetsOf.get(doc);
  if (!targets) {
    checkTree(doc);
    targets = targetsOf.get(doc)!;
  }
  return targets.get(alias);
}

/** A node that cannot become a value (a merge key given something other than maps). */
export class TreeValueError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'TreeValueError';
  }
}

/**
 * The plain value of a document that checkTree found no issue in, as the `yaml` package's
 * `toJS()` gives it (maps to objects, merge keys applied, an alias the same object as its
 * anchor's value), in one pass. Throws TreeValueError for a merge of something not a map.
 */
export function treeValue(doc: Document.Parsed): unknown {
  const anchored = new Map<Node, unknown>();

  const valueOf = (node: unknown): unknown => {
    if (!isNode(node)) return null;
    if (isAlias(node)) {
      const target = aliasTarget(doc, node);
      return target ? anchored.get(target) : null;
    }
    let value: unknown;
    if (isScalar(node)) value = node.value;
    else if (isMap(node)) value = node.items.reduce(addPair, {});
    else if (isSeq(node))
      value = node.items.map((item) => (isPair(item) ? addPair({}, item) : valueOf(item)));
    else value = null;
    if (node.anchor) anchored.set(node, value);
    return value;
  };

  const addPair = (object: Record<string, unknown>, pair: Pair): Record<string, unknown> => {
    if (isMergeKey(pair.key)) {
      merge(object, pair.value);
      return object;
    }
    const name = keyName(valueOf(pair.key));
    const value = valueOf(pair.value);
    // An own property even for names the prototype has (`__proto__`, `constructor`).
    if (name in object)
      Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
    else object[name] = value;
    return object;
  };

  // `<<: *base` or `<<: [*a, *b]`: keys the map lacks come from the maps given, earlier first.
  const merge = (object: Record<string, unknown>, source: unknown) => {
    const resolved = isAlias(source) ? aliasTarget(doc, source) : source;
    const sources = isSeq(resolved) ? resolved.items : [source];
    for (const item of sources) {
      const map = isAlias(item) ? aliasTarget(doc, item) : item;
      if (!isMap(map))
        throw new TreeValueError(
          isNode(item) ? (item.range?.[0] ?? 0) : 0,
          'a merge key `<<` takes a map or an alias of a map, or a list of them',
        );
      const merged = (isAlias(item) ? anchored.get(map) : valueOf(map)) as Record<string, unknown>;
      for (const name of Object.keys(merged))
        if (!Object.prototype.hasOwnProperty.call(object, name))
          Object.defineProperty(object, name, {
            value: merged[name],
            writable: true,
            enumerable: true,
            configurable: true,
          });
    }
  };

  return valueOf(doc.contents);
}

/** The property name of a key's value: `''` for null, JSON for a map or list (the package writes YAML). */
function keyName(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return key;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(key);
    case 'object':
      return key === null ? '' : JSON.stringify(key);
    default:
      return '';
  }
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}
