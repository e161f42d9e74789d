import { describe, expect, it } from 'vitest';
import { SCRIPTS_PLUGINS } from '../../src/plugins/scripts/index.js';
import { errorsOf, flowWithTasks, validateYaml, warningsOf } from '../helpers.js';

describe('script examples', () => {
  const examples = SCRIPTS_PLUGINS.flatMap((def) =>
    (def.examples ?? []).map((example) => ({ type: def.type, ...example })),
  );

  it('every type has a title, a description, outputs (tasks) and an example', () => {
    for (const def of SCRIPTS_PLUGINS) {
      expect(def.title, def.type).not.toBe('');
      expect(def.description, def.type).not.toBe('');
      expect(def.examples?.length ?? 0, def.type).toBeGreaterThan(0);
      if (def.kind === 'task')
        expect(Object.keys(def.outputs ?? {}), def.type).toEqual(['vars', 'exitCode', 'outputFiles']);
    }
  });

  it.each(examples)('$type: $title', ({ code }) => {
    expect(errorsOf(code)).toEqual([]);
    expect(warningsOf(code)).toEqual([]);
  });
});

describe('script tasks', () => {
  it('accepts bash.Commands and normalizes it to shell.Commands', () => {
    const text = flowWithTasks(`  - id: hello
    type: io.kestra.plugin.scripts.bash.Commands
    commands:
      - echo hello`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe('io.kestra.plugin.scripts.shell.Commands');
  });

  it('accepts the Process and Docker task runners', () => {
    const text = flowWithTasks(`  - id: local
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: print("local")
  - id: container
    type: io.kestra.plugin.scripts.python.Commands
    containerImage: python:3.12-slim
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicy: ALWAYS
      memory:
        memory: 1GB
      volumes:
        - /data:/data
    commands:
      - python --version`);
    expect(errorsOf(text)).toEqual([]);
    const tasks = validateYaml(text).flows[0]?.flow?.tasks as Array<Record<string, unknown>> | undefined;
    expect((tasks?.[1]?.taskRunner as Record<string, unknown>).type).toBe(
      'io.kestra.plugin.scripts.runner.docker.Docker',
    );
  });

  it('refuses an unknown task runner type, suggesting a close one', () => {
    const text = flowWithTasks(`  - id: local
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Proces
    commands:
      - echo hi`);
    expect(errorsOf(text)).toEqual([
      '7:13 unknown task runner type `io.kestra.plugin.core.runner.Proces` (did you mean `io.kestra.plugin.core.runner.Process`?)',
    ]);
  });

  it('refuses an unknown property of a task runner', () => {
    const text = flowWithTasks(`  - id: local
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicie: ALWAYS
    commands:
      - echo hi`);
    expect(errorsOf(text)[0]).toContain('unknown property `pullPolicie`');
    expect(errorsOf(text)[0]).toContain('(did you mean `pullPolicy`?)');
  });

  it('accepts commands as an expression, not as plain text', () => {
    const expression = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    commands: "{{ inputs.commands }}"`);
    expect(errorsOf(expression)).toEqual([]);
    const text = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    commands: echo hello`);
    expect(errorsOf(text)).toEqual([
      '6:15 `commands` of task `run` must be a list of strings or an expression, got `echo hello`',
    ]);
  });

  it('requires commands and script', () => {
    const text = flowWithTasks(`  - id: a
    type: io.kestra.plugin.scripts.python.Commands
  - id: b
    type: io.kestra.plugin.scripts.node.Script`);
    expect(errorsOf(text)).toEqual([
      '4:5 missing required property `commands` on io.kestra.plugin.scripts.python.Commands',
      '6:5 missing required property `script` on io.kestra.plugin.scripts.node.Script',
    ]);
  });

  it('refuses env given as a list', () => {
    const text = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    env:
      - A=1
    commands:
      - echo $A`);
    expect(errorsOf(text)).toEqual(['7:7 `env` of task `run` must be a map or an expression, got a list']);
  });

  it('checks inputFiles given as text', () => {
    const json = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    inputFiles: '{"a.txt": "hello"}'
    commands:
      - cat a.txt`);
    expect(errorsOf(json)).toEqual([]);
    const notJson = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    inputFiles: a.txt
    commands:
      - cat a.txt`);
    expect(errorsOf(notJson)[0]).toContain('`inputFiles` given as text must be a JSON map');
  });

  it('warns about deprecated runner and docker, ignored next to taskRunner', () => {
    const text = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    runner: PROCESS
    docker:
      image: ubuntu
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - echo hi`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '6:5 `runner` of task `run` is deprecated; use `taskRunner`',
      '6:5 `runner` is ignored when `taskRunner` is set',
      '7:5 `docker` of task `run` is deprecated; use `taskRunner`',
      '7:5 `docker` is ignored when `taskRunner` is set',
    ]);
  });

  it('accepts the shared properties', () => {
    const text = flowWithTasks(`  - id: run
    type: io.kestra.plugin.scripts.python.Script
    beforeCommands:
      - pip install requests
    env:
      TOKEN: "{{ secret('TOKEN') }}"
    interpreter: ["/bin/bash", "-c"]
    outputFiles:
      - "*.csv"
    namespaceFiles:
      enabled: true
      include:
        - scripts/**
      ifExists: WARN
    warningOnStdErr: false
    failFast: false
    targetOS: LINUX
    dependencies:
      - pandas
    timeout: PT10M
    script: |
      import requests`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([]);
  });
});
