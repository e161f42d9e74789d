import { describe, expect, it } from 'vitest';
import { errorsOf, validateYaml, warningsOf } from '../helpers.js';

function flow(defaults: string, tasks: string): string {
  return `id: f\nnamespace: company.team\npluginDefaults:\n${defaults}tasks:\n${tasks}`;
}

const LOG_WITHOUT_LEVEL = '  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const LOG_WITH_LEVEL =
  '  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: ERROR\n';

function firstTask(text: string): Record<string, unknown> {
  const result = validateYaml(text);
  expect(errorsOf(text)).toEqual([]);
  return result.flows[0]!.flow!.tasks[0]!;
}

describe('pluginDefaults', () => {
  it('applies by exact type', () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n',
      LOG_WITHOUT_LEVEL,
    );
    expect(firstTask(text).level).toBe('WARN');
  });

  it('applies by prefix', () => {
    const text = flow(
      '  - type: io.kestra.plugin.core\n    values:\n      level: DEBUG\n',
      LOG_WITHOUT_LEVEL,
    );
    expect(firstTask(text).level).toBe('DEBUG');
  });

  it("lets the task's own value win", () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n',
      LOG_WITH_LEVEL,
    );
    expect(firstTask(text).level).toBe('ERROR');
  });

  it("lets a forced default win over the task's own value", () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.log.Log\n    forced: true\n    values:\n      level: WARN\n',
      LOG_WITH_LEVEL,
    );
    expect(firstTask(text).level).toBe('WARN');
  });

  it('lets an exact default win over a prefix default, and a longer prefix over a shorter one', () => {
    const text = flow(
      [
        '  - type: io.kestra.plugin.core.log.Log',
        '    values:',
        '      level: WARN',
        '  - type: io.kestra.plugin',
        '    values:',
        '      level: DEBUG',
        '      timeout: PT1M',
        '  - type: io.kestra.plugin.core',
        '    values:',
        '      timeout: PT2M',
        '',
      ].join('\n'),
      LOG_WITHOUT_LEVEL,
    );
    const task = firstTask(text);
    expect([task.level, task.timeout]).toEqual(['WARN', 'PT2M']);
  });

  it('silently ignores values a task does not have', () => {
    // `bucket` is no property of Log: a prefix default must not break it.
    const text = flow(
      '  - type: io.kestra.plugin\n    values:\n      bucket: my-bucket\n      level: INFO\n',
      LOG_WITHOUT_LEVEL,
    );
    const task = firstTask(text);
    expect(task.bucket).toBeUndefined();
    expect(task.level).toBe('INFO');
    expect(warningsOf(text)).toEqual([]);
  });

  it('supplies a required property, and says so when the supplied value is wrong', () => {
    const noMessage = '  - id: a\n    type: io.kestra.plugin.core.log.Log\n';
    expect(
      firstTask(
        flow(
          '  - type: io.kestra.plugin.core.log.Log\n    values:\n      message: from defaults\n',
          noMessage,
        ),
      ).message,
    ).toBe('from defaults');
    const wrong = flow(
      '  - type: io.kestra.plugin.core.log.Log\n    values:\n      message: hi\n      level: LOUD\n',
      noMessage,
    );
    expect(errorsOf(wrong)).toEqual([
      '9:5 `level` of task `a` must be one of `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR` or an expression, got `LOUD` (set by pluginDefaults)',
    ]);
  });

  it('merges maps key by key and replaces lists', () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.http.Request\n    values:\n      headers:\n        Accept: application/json\n        X-Team: data\n',
      '  - id: a\n    type: io.kestra.plugin.core.http.Request\n    uri: https://example.com\n    headers:\n      X-Team: ops\n',
    );
    expect(firstTask(text).headers).toEqual({ Accept: 'application/json', 'X-Team': 'ops' });
  });

  it('applies to tasks nested in flowables, to errors and to triggers', () => {
    const text = [
      'id: f',
      'namespace: company.team',
      'pluginDefaults:',
      '  - type: io.kestra.plugin.core.log.Log',
      '    values:',
      '      level: WARN',
      'tasks:',
      '  - id: seq',
      '    type: io.kestra.plugin.core.flow.Sequential',
      '    tasks:',
      '      - id: inner',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: hi',
      'errors:',
      '  - id: onError',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: failed',
      '',
    ].join('\n');
    const result = validateYaml(text).flows[0]!.flow!;
    expect((result.tasks[0]!.tasks as Array<Record<string, unknown>>)[0]!.level).toBe('WARN');
    expect(result.errors[0]!.level).toBe('WARN');
  });

  it('applies a default written for the canonical name to a task written with an alias', () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.http.Request\n    values:\n      method: POST\n',
      '  - id: a\n    type: io.kestra.plugin.http.Request\n    uri: https://example.com\n',
    );
    expect(firstTask(text)).toMatchObject({ type: 'io.kestra.plugin.core.http.Request', method: 'POST' });
  });

  it('warns about a default whose type matches no plugin', () => {
    const text = flow(
      '  - type: io.kestra.plugin.core.log.Logg\n    values:\n      level: WARN\n',
      LOG_WITHOUT_LEVEL,
    );
    expect(warningsOf(text)).toEqual([
      '4:11 pluginDefaults type `io.kestra.plugin.core.log.Logg` matches no known plugin type (did you mean `io.kestra.plugin.core.log.Log`?)',
    ]);
  });

  it('accepts the deprecated `taskDefaults` with a warning', () => {
    const text = `id: f\nnamespace: company.team\ntaskDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\ntasks:\n${LOG_WITHOUT_LEVEL}`;
    expect(firstTask(text).level).toBe('WARN');
    expect(warningsOf(text)).toEqual(['3:1 `taskDefaults` of the flow is deprecated; use `pluginDefaults`']);
  });
});
