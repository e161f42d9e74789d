/**
 * Reading YAML is linear in its size and bounded whatever the text (issue 19, item 2): duplicate
 * keys are found with one set per map (the `yaml` package's check is quadratic), aliases are
 * resolved once each, alias bombs and deep nesting are refused with a position, and the values
 * (anchors, merge keys) are those the `yaml` package gives.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { templates } from '../../src/expr/index.js';
import { coerceInputValue, validateFlowSource } from '../../src/flow/index.js';
import type { Problem } from '../../src/flow/index.js';
import { resolveProblem } from '../../src/flow/source-positions.js';
import { loadYamlSource } from '../../src/flow/source.js';
import { readFast } from '../../src/flow/source-fast.js';
import { checkTree, treeValue } from '../../src/flow/source-tree.js';
import { readYamlValue } from '../../src/flow/source-value.js';
import { parsePositionedYaml } from '../../src/flow/source-yaml.js';
import { catalog } from '../../src/plugins/registry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// For 40,000 of something: the quadratic code took 10 s to minutes; linear code takes well
// under a second on an idle machine, so a loaded 2-core machine passes too.
const BOUND_MS = 8_000;
const LOG = 'tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

/** Every problem of a flow file as `LINE:COL CODE message`. */
function problems(text: string): string[] {
  const result = validateFlowSource(text, { catalog, file: 'f.yaml' });
  const all: Problem[] = [...result.problems, ...result.flows.flatMap((f) => f.problems)];
  return all.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);
}

/** The value of the only document of a flow file (which must read without problems). */
function valueOf(text: string): unknown {
  const source = loadYamlSource(text);
  expect(source.problems).toEqual([]);
  return source.documents[0]?.value;
}

/** A flow whose `variables` hold `count` keys, each written by `line(i)`. */
function flowWithVariables(count: number, line: (i: number) => string, extra = ''): string {
  const lines = ['id: big', 'namespace: company.team', 'variables:'];
  for (let i = 0; i < count; i++) lines.push(`  ${line(i)}`);
  return `${lines.join('\n')}\n${extra}${LOG}`;
}

function millis(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

describe('duplicate keys', () => {
  it('are reported at the line and column of the second key, in block and flow maps', () => {
    expect(problems(`id: a\nnamespace: n\nid: b\n${LOG}`)).toEqual([
      '3:1 WH_YAML_SYNTAX YAML syntax error: duplicate key `id`: keys must be unique in a map',
    ]);
    expect(problems(`id: a\nnamespace: n\nvariables: {x: 1, y: 2, x: 3}\n${LOG}`)).toEqual([
      '3:25 WH_YAML_SYNTAX YAML syntax error: duplicate key `x`: keys must be unique in a map',
    ]);
    expect(
      problems(
        'id: a\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n    message: b\n',
      ),
    ).toEqual([
      '7:5 WH_YAML_SYNTAX YAML syntax error: duplicate key `message`: keys must be unique in a map',
    ]);
  });

  it('compare values as the yaml package does: `1` and `"1"` differ, `<<` may repeat', () => {
    expect(valueOf('a: {1: x, "1": y}\n')).toEqual({ a: { 1: 'y' } });
    const text = 'a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n';
    expect(valueOf(text)).toEqual({ a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
  });

  it('are found among 40,000 keys in linear time (the yaml package took 40 s)', () => {
    const text = flowWithVariables(40_000, (i) => `key_${i}: value_${i}`, '  key_7: again\n');
    let found: string[] = [];
    expect(millis(() => (found = problems(text)))).toBeLessThan(BOUND_MS);
    expect(found).toEqual([
      '40004:3 WH_YAML_SYNTAX YAML syntax error: duplicate key `key_7`: keys must be unique in a map',
    ]);
  });
});

describe('anchors, aliases and merge keys', () => {
  it('an alias is the value of its anchor; merge keys fill what the map lacks, earlier maps first', () => {
    const text = [
      'base: &base {retry: 3, timeout: PT1M, tag: base}',
      'other: &other {tag: other, extra: true}',
      'merged:',
      '  tag: own', // an explicit key written before the merge wins
      '  <<: [*base, *other]',
      '  timeout: PT5M', // and one written after it
      'same: *base',
      'inline:',
      '  <<: {a: 1}',
      '  b: 2',
      '',
    ].join('\n');
    const value = valueOf(text) as Record<string, Record<string, unknown>>;
    expect(value.merged).toEqual({ tag: 'own', retry: 3, timeout: 'PT5M', extra: true });
    expect(value.same).toBe(value.base);
    expect(value.inline).toEqual({ a: 1, b: 2 });
    // Without any anchor in the text, js-yaml reads it: it applies merge keys too.
    expect(valueOf('inline:\n  <<: {a: 1, b: 1}\n  b: 2\n')).toEqual({ inline: { a: 1, b: 2 } });
  });

  it('gives the same values as the yaml package, keys in the same order, through either reader', () => {
    const texts = [
      // Merge keys: a map, a list of maps, keys written before and after, nested merges.
      'base: &base {a: 1, b: 2, c: 3}\nmore: &more {c: 30, d: 40}\nx:\n  b: own\n  <<: [*base, *more]\n  d: later\n',
      'one: &one {a: 1}\ntwo: &two\n  <<: *one\n  b: 2\nthree:\n  <<: *two\n  c: 3\nsame: *two\n',
      'inline:\n  <<: {a: 1, b: 1}\n  b: 2\nlist: [{<<: {x: 1}, y: 2}]\n',
      // Aliases of maps, lists and scalars; keys the prototype has; an empty key; keys not text.
      'm: &m {k: v}\nl: &l [1, [2]]\ns: &s text\nuse: [*m, *l, *s, *m]\n__proto__: p\nconstructor: c\n"": empty\n1: one\ntrue: yes\n',
      `defaults: &d {type: io.kestra.plugin.core.log.Log, message: hi}\ntasks:\n${Array.from({ length: 40 }, (_, i) => `  - <<: *d\n    id: t${i}`).join('\n')}\n`,
    ];
    for (const text of texts) {
      const expected = JSON.stringify(parseDocument(text, { merge: true }).toJS());
      const fast = readFast(text);
      expect(fast, text).toBeDefined();
      expect(JSON.stringify(fast?.[0]), text).toBe(expected);
      const parsed = parsePositionedYaml(text);
      const doc = 'documents' in parsed ? parsed.documents[0]! : undefined;
      expect(doc && checkTree(doc), text).toEqual([]);
      expect(JSON.stringify(doc && treeValue(doc)), text).toBe(expected);
    }
  });

  it('merge keys work in a flow, through either parser', () => {
    const text = (count: number) =>
      `id: a\nnamespace: n\ntasks:\n  - &log\n    id: t0\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n${Array.from({ length: count }, (_, i) => `  - <<: *log\n    id: t${i + 1}\n`).join('')}`;
    for (const count of [1, 30]) {
      const result = validateFlowSource(text(count), { catalog });
      expect(result.valid).toBe(true);
      expect(result.flows[0]?.flow?.tasks.map((t) => t.message)).toEqual(Array(count + 1).fill('hi'));
    }
  });

  it('40,000 anchors, each aliased once, read in linear time', () => {
    const text = flowWithVariables(
      40_000,
      (i) => `k${i}: &a${i} v${i}`,
      `  refs: [${Array.from({ length: 40_000 }, (_, i) => `*a${i}`).join(', ')}]\n`,
    );
    let value: unknown;
    expect(millis(() => (value = valueOf(text)))).toBeLessThan(BOUND_MS);
    const refs = (value as { variables: { refs: string[] } }).variables.refs;
    expect(refs).toHaveLength(40_000);
    expect(refs[39_999]).toBe('v39999');
  });
});

describe('what aliases cannot do', () => {
  it('an alias without its anchor is an error at the alias, through either parser', () => {
    expect(problems(`id: a\nnamespace: n\nvariables:\n  x: *nope\n${LOG}`)).toEqual([
      '4:6 WH_YAML_SYNTAX YAML syntax error: the alias `*nope` has no anchor `&nope` before it',
    ]);
    expect(problems(`id: a\nnamespace: n\nvariables:\n  x: *later\n  y: &later 1\n${LOG}`)).toEqual([
      '4:6 WH_YAML_SYNTAX YAML syntax error: the alias `*later` has no anchor `&later` before it',
    ]);
  });

  it('an alias inside the value its anchor names is refused (a cycle)', () => {
    expect(problems(`id: a\nnamespace: n\nvariables: &v\n  self: *v\n${LOG}`)).toEqual([
      '4:9 WH_YAML_SYNTAX YAML syntax error: the alias `*v` is inside the value its anchor `&v` names',
    ]);
  });

  it('a text aliased 10,000 times is an alias bomb, refused in linear time by either reader', () => {
    // 10 MB of values from 70 kB of text; the limit is twice the text and 100,000.
    const text = `id: a\nnamespace: n\nvariables:\n  one: &one ${'x'.repeat(1_000)}\n  many: [${Array(10_000).fill('*one').join(',')}]\n${LOG}`;
    expect(readFast(text)).toBeUndefined();
    let found: string[] = [];
    expect(millis(() => (found = problems(text)))).toBeLessThan(BOUND_MS);
    expect(found).toEqual([
      '1:1 WH_TOO_COMPLEX the YAML cannot be read: Excessive alias count indicates a resource exhaustion attack',
    ]);
    // Aliases of short values, or a few of long ones, are not a bomb.
    expect(problems(text.replace('x'.repeat(1_000), 'x'))).toEqual([]);
    expect(problems(text.replace(/\[(\*one,){9999}/, '[*one,*one,'))).toEqual([]);
  });

  it('keys made of aliases are weighed too, never turned into gigabytes of text', () => {
    // js-yaml turns a key into text: 20 such keys were 2 GB of text built from 0.6 MB.
    const refs = Array(10_000).fill('*a').join(',');
    const keys = Array.from({ length: 20 }, (_, i) => `  ? [${refs}, k${i}]\n  : v`).join('\n');
    const text = `id: a\nnamespace: n\nvariables:\n  a: &a ${'x'.repeat(10_000)}\n${keys}\n${LOG}`;
    let fast: unknown[] | undefined = [];
    // The fast reader leaves such a text to the careful one without reading it (it took 10 s).
    expect(millis(() => (fast = readFast(text)))).toBeLessThan(2_000);
    expect(fast).toBeUndefined();
    let found: string[] = [];
    expect(millis(() => (found = problems(text)))).toBeLessThan(BOUND_MS);
    expect(found).toEqual([
      '1:1 WH_TOO_COMPLEX the YAML cannot be read: Excessive alias count indicates a resource exhaustion attack',
    ]);
    // A key of a few aliases is read (a key that is a list or a map becomes its JSON).
    expect(valueOf('a: &a x\n? [*a, *a]\n: v\n[*a]: w\n')).toEqual({
      a: 'x',
      '["x","x"]': 'v',
      '["x"]': 'w',
    });
  });

  it('aliases cannot nest a value past 300 levels', () => {
    // Each anchor nests the one before 100 levels deeper, in a map: the third reaches 301.
    const lines = [`a0: &a0 ${'['.repeat(100)}x${']'.repeat(100)}`];
    for (let i = 1; i < 3; i++) lines.push(`a${i}: &a${i} ${'['.repeat(100)}*a${i - 1}${']'.repeat(100)}`);
    const found = problems(`${lines.join('\n')}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^3:\d+ WH_TOO_COMPLEX YAML syntax error: the alias `\*a1` nests its value more than 300 levels deep$/,
    );
  });
});

describe('nesting', () => {
  const lists = (depth: number) =>
    `id: a\nnamespace: n\nvariables:\n  x: ${'['.repeat(depth)}leaf${']'.repeat(depth)}\n${LOG}`;

  it('300 levels are read, 301 refused at the collection past the limit', () => {
    // `variables` and its map are two levels: 298 more lists reach 300.
    expect(problems(lists(298))).toEqual([]);
    expect(problems(lists(299))).toEqual([
      '4:304 WH_TOO_COMPLEX YAML syntax error: the YAML is nested too deeply to read',
    ]);
  });

  it('thousands of levels, again and again, never abort the process', async () => {
    // After a stack overflow inside the yaml package, a later parse could abort Node itself
    // ("RegExpCompiler Allocation failed"): run in a child process, which must exit cleanly.
    const script = `
      import { validateFlowSource } from '${ROOT}src/flow/index.js';
      import { catalog } from '${ROOT}src/plugins/registry.js';
      import { templates } from '${ROOT}src/expr/index.js';
      const texts = ['- '.repeat(5000) + 'x', Array.from({ length: 3000 }, (_, d) => ' '.repeat(d) + 'a:').join('\\n')];
      for (let round = 0; round < 3; round++)
        for (const text of texts) {
          const problem = validateFlowSource(text, { catalog }).problems[0];
          if (!problem || !/nested/.test(problem.message)) throw new Error('not refused: ' + JSON.stringify(problem));
          try { templates.render('{{ yaml(doc) }}', { doc: text }); throw new Error('yaml() read it'); }
          catch (error) { if (!/nested/.test(error.message)) throw error; }
        }
      console.log('survived');
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('survived');
  }, 60_000);
});

describe('positions', () => {
  it('40,000 problems in one map are located in linear time', () => {
    const text = flowWithVariables(40_000, (i) => `key_${i}: value_${i}`);
    const document = loadYamlSource(text).documents[0]!;
    const positions = document.positions();
    let lines: number[] = [];
    const located = millis(() => {
      lines = Array.from({ length: 40_000 }, (_, i) => {
        const pending = {
          code: 'WH_INVALID_VALUE',
          severity: 'error',
          message: 'x',
          path: ['variables', `key_${i}`],
        };
        return resolveProblem(positions, pending as Parameters<typeof resolveProblem>[1]).line;
      });
    });
    expect(located).toBeLessThan(BOUND_MS);
    expect(lines[0]).toBe(4);
    expect(lines[39_999]).toBe(40_003);
  });
});

describe('positions in long values', () => {
  it('32,000 problems inside one block scalar (a long script) are located in linear time', () => {
    const lines = Array.from({ length: 32_000 }, (_, i) => `      line ${i} {{ inputs.x${i} }}`);
    const text = `id: t\nnamespace: n\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: |\n${lines.join('\n')}\n`;
    let found: string[] = [];
    expect(millis(() => (found = problems(text)))).toBeLessThan(BOUND_MS);
    expect(found).toHaveLength(32_000);
    expect(found[31_999]).toBe('32006:21 WH_EXPR_REFERENCE no input `x31999` is declared');
  });
});

describe('YAML outside flows: inputs and yaml()', () => {
  it('reads one document, with the same checks and limits as flows', () => {
    expect(readYamlValue('a: [1, 2]\n')).toEqual({ value: { a: [1, 2] } });
    expect(readYamlValue('')).toEqual({ value: null });
    expect(readYamlValue('a: 1\n---\nb: 2\n')).toMatchObject({
      error: 'the text holds 2 YAML documents (separated by `---`), not one',
    });
    expect(readYamlValue('a: 1\n---\nb: 2\n', 'first')).toEqual({ value: { a: 1 } });
    expect(readYamlValue('a: 1\nb: 2\na: 3\n')).toEqual({
      error: 'duplicate key `a`: keys must be unique in a map',
      line: 3,
      column: 1,
    });
    expect(readYamlValue('a: *x\n')).toEqual({
      error: 'the alias `*x` has no anchor `&x` before it',
      line: 1,
      column: 4,
    });
    expect(readYamlValue(`x: ${'['.repeat(400)}${']'.repeat(400)}`)).toMatchObject({
      error: 'the YAML is nested more than 300 levels deep',
    });
  });

  it('a YAML input reports a duplicate key with its line; 40,000 keys read in linear time', () => {
    expect(coerceInputValue({ id: 'doc', type: 'YAML' }, 'a: 1\na: 2\n')).toEqual({
      error: 'must be valid YAML: duplicate key `a`: keys must be unique in a map (line 2, column 1)',
    });
    const big = Array.from({ length: 40_000 }, (_, i) => `key_${i}: &a${i} ${i}`).join('\n');
    let result: unknown;
    expect(
      millis(() => (result = coerceInputValue({ id: 'doc', type: 'YAML' }, `${big}\nkey_0: again\n`))),
    ).toBeLessThan(BOUND_MS);
    expect(result).toEqual({
      error: 'must be valid YAML: duplicate key `key_0`: keys must be unique in a map (line 40001, column 1)',
    });
  });

  it('yaml() refuses an alias bomb and reads 40,000 keys in linear time', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    expect(() => templates.render('{{ yaml(doc) }}', { doc: levels.join('\n') })).toThrow(
      /`yaml\(\)`: invalid YAML: the YAML cannot be read: Excessive alias count/,
    );
    const big = Array.from({ length: 40_000 }, (_, i) => `key_${i}: &a${i} ${i}`).join('\n');
    let rendered = '';
    expect(
      millis(() => (rendered = templates.render('{{ yaml(doc) | length }}', { doc: big }))),
    ).toBeLessThan(BOUND_MS);
    expect(rendered).toBe('40000');
  });
});
