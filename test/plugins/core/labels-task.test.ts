/**
 * Issue 18, item 9: the Labels task as Kestra's RuntimeLabelsTest runs it. A map key may be an
 * expression (`"{{ inputs.key }}": value`) and is rendered like the value; a label with an empty
 * key or value fails the task and sets nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

describe('Labels task', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('renders map keys as well as values', async () => {
    const execution = await rt.run(
      `id: labels_keys
namespace: test.labels
inputs:
  - id: mapKey
    type: STRING
  - id: mapValue
    type: STRING
tasks:
  - id: from_map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      "{{ inputs.mapKey }}": "{{ inputs.mapValue }}"
      "plain-{{ 1 + 1 }}": fixed
`,
      { mapKey: 'keyFromMap', mapValue: 'valueFromMap' },
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: 'keyFromMap', value: 'valueFromMap' },
        { key: 'plain-2', value: 'fixed' },
      ]),
    );
    expect(execution.labels.some((l) => l.key.includes('{{'))).toBe(false);
  });

  it('fails on an empty key or value and sets no label', async () => {
    const execution = await rt.run(`id: labels_empty
namespace: test.labels
tasks:
  - id: from_string
    type: io.kestra.plugin.core.execution.Labels
    labels: '{"emptyValue": "", "": "value2"}'
`);
    expect(execution.state.current).toBe('FAILED');
    expect(execution.labels.map((l) => l.key)).not.toContain('emptyValue');
    expect((await rt.logs(execution.id)).join('\n')).toMatch(/empty/);
  });
});
