import { describe, expect, it } from 'vitest';
import { validateFlowSource } from '../../src/flow/index.js';
import type { Problem } from '../../src/flow/index.js';
import { catalog } from '../../src/plugins/registry.js';

/** Every problem as `LINE:COL message`. */
function problems(input: string | Uint8Array): string[] {
  const result = validateFlowSource(input, { catalog, file: 'f.yaml' });
  const all: Problem[] = [...result.problems, ...result.flows.flatMap((f) => f.problems)];
  return all.map((p) => `${p.line}:${p.column} ${p.message}`);
}

/** A deterministic pseudo-random byte source (LCG), so failures reproduce. */
function randomBytes(size: number, seed: number): Uint8Array {
  let state = seed;
  return new Uint8Array(size).map(() => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % 256;
  });
}

function bigFlow(minBytes: number): { text: string; tasks: number } {
  const lines = [
    'id: big',
    'namespace: company.team',
    'inputs:',
    '  - id: name',
    '    type: STRING',
    'tasks:',
  ];
  let size = 0;
  let tasks = 0;
  while (size < minBytes) {
    const task = `  - id: t${tasks}\n    type: io.kestra.plugin.core.log.Log\n    message: "hello {{ inputs.name }} from task ${tasks}"`;
    lines.push(task);
    size += task.length + 1;
    tasks++;
  }
  return { text: `${lines.join('\n')}\n`, tasks };
}

describe('bad input never crashes the validator', () => {
  it('reports an empty file, a file of comments and bare document markers', () => {
    expect(problems('')).toEqual(['1:1 no flow found: the file is empty']);
    expect(problems('# just a comment\n\n')).toEqual(['1:1 no flow found: the file is empty']);
    expect(problems('---\n---\n')).toEqual(['1:1 no flow found: the file is empty']);
  });

  it('reports a YAML syntax error at its line', () => {
    expect(problems('id: f\nnamespace: a\ntasks:\n  - id: x\n   type: y\n')).toEqual([
      '5:1 YAML syntax error: Sequence item without - indicator (check the indentation and quoting of this line and the one before)',
    ]);
  });

  it('reports a list or a scalar where a flow (a map) is expected', () => {
    expect(problems('- a\n- b\n')).toEqual([
      '1:1 a flow must be a map with `id`, `namespace` and `tasks`, got a list',
    ]);
    expect(problems('just words')).toEqual([
      '1:1 a flow must be a map with `id`, `namespace` and `tasks`, got `just words`',
    ]);
  });

  it('validates a 5 MB flow', () => {
    const { text, tasks } = bigFlow(5 * 1024 * 1024);
    const result = validateFlowSource(text, { catalog, file: 'big.yaml' });
    expect(result.valid).toBe(true);
    expect(result.flows[0]?.flow?.tasks).toHaveLength(tasks);
  });

  it('reports a mistake deep inside a 5 MB flow at its line', () => {
    const { text } = bigFlow(5 * 1024 * 1024);
    const broken = `${text}  - id: last\n    type: io.kestra.plugin.core.log.Log\n    mesage: oops\n`;
    const lines = broken.split('\n').length;
    expect(problems(broken)).toEqual([
      `${lines - 3}:5 missing required property \`message\` on io.kestra.plugin.core.log.Log`,
      `${lines - 1}:5 unknown property \`mesage\` on io.kestra.plugin.core.log.Log (did you mean \`message\`?)`,
    ]);
  });

  it('refuses 5 MB of nested brackets before the YAML parser exhausts memory', () => {
    expect(problems('['.repeat(5 * 1024 * 1024))).toEqual([
      '1:501 brackets are nested more than 500 levels deep',
    ]);
  });

  it('reports deep block nesting without overflowing the stack', () => {
    const lines: string[] = [];
    for (let depth = 0; depth < 3000; depth++) lines.push(`${' '.repeat(depth)}a:`);
    const found = problems(`${lines.join('\n')}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\d+:\d+ YAML syntax error: the YAML is nested too deeply to read$/);
  });

  it('reports binary garbage as not text, with a position', () => {
    expect(problems(randomBytes(100_000, 42))).toEqual(['1:10 not a YAML text file: invalid UTF-8']);
    expect(problems(Buffer.from('id: f\nnamespace: a\u0000\u0001\n'))).toEqual([
      '2:13 not a YAML text file: control character U+0000',
    ]);
    expect(problems(Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xc3, 0x28]))).toEqual([
      '1:5 not a YAML text file: invalid UTF-8',
    ]);
  });

  it('refuses an alias bomb', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(`${levels.join('\n')}\n`)).toEqual([
      '1:1 the YAML cannot be read: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('refuses flowables nested more than 64 levels', () => {
    let text = 'id: d\nnamespace: company.team\ntasks:\n';
    let indent = '  ';
    for (let i = 0; i < 70; i++) {
      text += `${indent}- id: s${i}\n${indent}  type: io.kestra.plugin.core.flow.Sequential\n${indent}  tasks:\n`;
      indent += '    ';
    }
    text += `${indent}- id: leaf\n${indent}  type: io.kestra.plugin.core.log.Log\n${indent}  message: x\n`;
    expect(problems(text)).toEqual(['199:265 tasks are nested more than 64 levels deep']);
  });

  it('explains an unquoted expression, which YAML reads as a map', () => {
    const text =
      'id: f\nnamespace: a\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: {{ inputs.x }}\n';
    expect(problems(text)).toEqual([
      '6:14 `message` of task `l` must be a string, or a list of strings or an expression, got a map (a value that starts with `{{` must be quoted)',
    ]);
  });

  it('keeps flows of a multi-document file apart', () => {
    const text =
      'id: a\nnamespace: n\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n---\nid: b\nnamespace: n\ntasks: []\n';
    const result = validateFlowSource(text, { catalog, file: 'two.yaml' });
    expect(result.flows.map((f) => [f.id, f.valid])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(problems(text)).toEqual(['10:8 `tasks` must hold at least one task']);
  });

  it('uses the careful parser for anchors and still reads merge keys', () => {
    const text = `id: a\nnamespace: n\ntasks:\n  - &log\n    id: x\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - <<: *log\n    id: y\n`;
    const result = validateFlowSource(text, { catalog });
    expect(result.valid).toBe(true);
    expect(result.flows[0]?.flow?.tasks.map((t) => [t.id, t.message])).toEqual([
      ['x', 'hi'],
      ['y', 'hi'],
    ]);
  });
});
