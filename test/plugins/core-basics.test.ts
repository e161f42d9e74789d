import { describe, expect, it } from 'vitest';
import { errorsOf, flowWithTasks, validateYaml } from '../helpers.js';

describe('core basics', () => {
  it('accepts a Log with a string or a list of messages', () => {
    const text = flowWithTasks(`  - id: one
    type: io.kestra.plugin.core.log.Log
    message: hello
  - id: many
    type: io.kestra.plugin.core.log.Log
    message: [a, b]
    level: WARN`);
    expect(errorsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks.map((t) => t.type)).toEqual([
      'io.kestra.plugin.core.log.Log',
      'io.kestra.plugin.core.log.Log',
    ]);
  });

  it('normalizes a legacy type name to the canonical one', () => {
    const text = flowWithTasks(`  - id: old
    type: io.kestra.core.tasks.log.Log
    message: hello`);
    expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe('io.kestra.plugin.core.log.Log');
  });
});
