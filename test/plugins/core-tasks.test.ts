import { describe, expect, it } from 'vitest';
import { CORE_PLUGINS } from '../../src/plugins/core/index.js';
import { errorsOf, flowWithTasks, validateYaml, warningsOf } from '../helpers.js';
import { exampleWarnings } from '../helpers.js';

const TASKS = CORE_PLUGINS.filter((d) => d.kind === 'task');
const indent = (code: string) =>
  code
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

/** An example is a whole flow when it starts with `id:`, else task YAML to put under `tasks`. */
const exampleFlow = (code: string) => (code.startsWith('id:') ? code : flowWithTasks(indent(code)));

describe('core task definitions', () => {
  it('gives every task a title, a description, outputs and an example', () => {
    for (const def of TASKS) {
      expect(def.title, def.type).toMatch(/\S/);
      expect(def.title.includes('\n'), def.type).toBe(false);
      expect(def.description, def.type).toMatch(/\S/);
      expect(def.examples?.length ?? 0, def.type).toBeGreaterThan(0);
      for (const name of def.ownProperties) {
        expect(
          def.properties[name]?.info.description ?? def.properties[name]?.info.deprecated,
          `${def.type} ${name}`,
        ).toBeTruthy();
      }
    }
    // ForEachItem's outputs live on its three parts (<id>_split, <id>_items, <id>_merge), as in
    // Kestra; its description names them.
    const mine = TASKS.filter(
      (d) => !['Log', 'Return', 'Sequential', 'If', 'ForEachItem'].includes(d.type.split('.').pop()!),
    );
    for (const def of mine) expect(def.outputs, def.type).toBeDefined();
  });

  describe('every example validates with no errors', () => {
    const examples = TASKS.flatMap((def) =>
      (def.examples ?? []).map((example) => [def.type, example.title, example.code] as const),
    );
    it.each(examples)('%s: %s', (type, _title, code) => {
      expect(errorsOf(exampleFlow(code))).toEqual([]);
      // An example of a type Kestra deprecated shows that type, so it gets its deprecation warning.
      const deprecated = TASKS.find((d) => d.type === type)?.deprecated !== undefined;
      expect(
        exampleWarnings(code).filter((w) => !(deprecated && w.includes(`\`${type}\` is deprecated;`))),
      ).toEqual([]);
    });
  });

  it('keeps type names, aliases and legacy names apart', () => {
    const request = TASKS.find((d) => d.type === 'io.kestra.plugin.core.http.Request');
    expect(request?.aliases).toEqual(['io.kestra.plugin.http.Request']);
    expect(request?.legacyNames).toEqual(['io.kestra.plugin.fs.http.Request']);
    const names = TASKS.flatMap((d) => [d.type, ...d.aliases, ...d.legacyNames]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('required properties of the core tasks', () => {
  const cases: Array<[string, string, string]> = [
    ['io.kestra.plugin.core.execution.Labels', 'labels', ''],
    ['io.kestra.plugin.core.debug.Echo', 'format', ''],
    ['io.kestra.plugin.core.kv.Set', 'key', 'value: 1'],
    ['io.kestra.plugin.core.kv.Set', 'value', 'key: k'],
    ['io.kestra.plugin.core.kv.Get', 'key', ''],
    ['io.kestra.plugin.core.kv.Delete', 'key', ''],
    ['io.kestra.plugin.core.http.Request', 'uri', ''],
    ['io.kestra.plugin.core.http.Download', 'uri', ''],
    ['io.kestra.plugin.core.storage.Concat', 'files', ''],
    ['io.kestra.plugin.core.storage.Split', 'from', 'rows: 1'],
    ['io.kestra.plugin.core.storage.Delete', 'uri', ''],
    ['io.kestra.plugin.core.storage.Size', 'uri', ''],
    ['io.kestra.plugin.core.storage.Write', 'content', ''],
    ['io.kestra.plugin.core.storage.FilterItems', 'from', 'filterCondition: "{{ a }}"'],
    ['io.kestra.plugin.core.storage.FilterItems', 'filterCondition', 'from: kestra://f'],
    ['io.kestra.plugin.core.storage.DeduplicateItems', 'from', 'expr: "{{ a }}"'],
    ['io.kestra.plugin.core.storage.DeduplicateItems', 'expr', 'from: kestra://f'],
    ['io.kestra.plugin.core.namespace.UploadFiles', 'namespace', 'files: ["*.py"]'],
    ['io.kestra.plugin.core.namespace.DownloadFiles', 'namespace', 'files: "**"'],
    ['io.kestra.plugin.core.namespace.DownloadFiles', 'files', 'namespace: company.team'],
    ['io.kestra.plugin.core.namespace.DeleteFiles', 'namespace', 'files: "**"'],
    ['io.kestra.plugin.core.namespace.DeleteFiles', 'files', 'namespace: company.team'],
  ];

  it.each(cases)('%s needs `%s`', (type, property, others) => {
    const text = flowWithTasks(`  - id: t\n    type: ${type}\n${others ? `    ${others}\n` : ''}`);
    expect(errorsOf(text)).toEqual([`4:5 missing required property \`${property}\` on ${type}`]);
  });

  it('agrees with the definitions', () => {
    const declared = TASKS.filter(
      (d) =>
        !d.type.startsWith('io.kestra.plugin.core.flow.') && !d.type.startsWith('io.kestra.plugin.core.log.'),
    ).flatMap((d) =>
      d.ownProperties.filter((name) => d.properties[name]?.info.required).map((name) => [d.type, name]),
    );
    expect(declared.sort()).toEqual(cases.map(([type, property]) => [type, property]).sort());
  });
});

describe('execution tasks', () => {
  it('checks the Exit state and the Fail properties', () => {
    const text = flowWithTasks(`  - id: stop
    type: io.kestra.plugin.core.execution.Exit
    state: CANCELLED
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.bad }}"
    message: oops`);
    expect(errorsOf(text)).toEqual([
      '6:12 `state` of task `stop` must be one of `SUCCESS`, `WARNING`, `KILLED`, `FAILED`, `CANCELED` or an expression, got `CANCELLED` (did you mean `CANCELED`?)',
      '10:5 unknown property `message` on io.kestra.plugin.core.execution.Fail',
    ]);
  });

  it('accepts labels as a map, a list or a JSON string, and refuses system labels', () => {
    const text = flowWithTasks(`  - id: by_map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      team: data
      system.restarted: "true"
  - id: by_list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: stage
        value: 3
  - id: by_json
    type: io.kestra.plugin.core.execution.Labels
    labels: '{"a": "b"}'`);
    expect(errorsOf(text)).toEqual([
      '8:7 label `system.restarted` is reserved: keys starting with `system.` are set by the system only',
    ]);
  });

  it('reports a malformed label list as a whole', () => {
    // A union does not say which of its forms came closest, so the message lists them all.
    const text = flowWithTasks(`  - id: labels
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: stage`);
    expect(errorsOf(text)).toEqual([
      '7:7 `labels` of task `labels` must be a map or an expression, or a list of maps with `key`, `value`, or a string, got a list',
    ]);
  });
});

describe('kv tasks', () => {
  it('checks types, durations and enums', () => {
    const text = flowWithTasks(`  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: orders
    value:
      a: 1
    kvType: MAP
    ttl: 1 day
    overwrite: maybe`);
    expect(errorsOf(text)).toEqual([
      '9:13 `kvType` of task `set` must be one of `STRING`, `NUMBER`, `BOOLEAN`, `DATETIME`, `DATE`, `DURATION`, `JSON` or an expression, got `MAP`',
      '10:10 `ttl` of task `set` must be an ISO-8601 duration such as `PT5M`, `PT1H30M` or `P1D` or an expression, got `1 day`',
      '11:16 `overwrite` of task `set` must be `true` or `false` or an expression, got `maybe`',
    ]);
  });
});

describe('http tasks', () => {
  it('validates the alias io.kestra.plugin.http.Request and normalizes it to the canonical type', () => {
    const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.http.Request
    uri: https://example.com
    method: POST
    body: '{"a": 1}'`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe('io.kestra.plugin.core.http.Request');
  });

  it('warns about the legacy names of Request and Download', () => {
    const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.fs.http.Request
    uri: https://example.com
  - id: get
    type: io.kestra.plugin.fs.http.Download
    uri: https://example.com/file.csv`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '5:11 `io.kestra.plugin.fs.http.Request` is a deprecated name of `io.kestra.plugin.core.http.Request`',
      '8:11 `io.kestra.plugin.fs.http.Download` is a deprecated name of `io.kestra.plugin.core.http.Download`',
    ]);
    expect(validateYaml(text).flows[0]?.flow?.tasks.map((t) => t.type)).toEqual([
      'io.kestra.plugin.core.http.Request',
      'io.kestra.plugin.core.http.Download',
    ]);
  });

  it('checks the method and the options', () => {
    const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
    method: GETT
    options:
      auth:
        type: BASIC
        usernam: me
      timeout:
        readTimeout: PT1M
      proxy:
        type: FTP`);
    expect(errorsOf(text)).toEqual([
      '7:13 `method` of task `call` must be one of `GET`, `POST`, `PUT`, `DELETE`, `PATCH`, `HEAD`, `OPTIONS`, `TRACE`, `CONNECT`, `CUSTOM` or an expression, got `GETT` (did you mean `GET`?)',
      '11:9 unknown property `usernam` in `options.auth` of task `call` (did you mean `username`?)',
      '13:9 unknown property `readTimeout` in `options.timeout` of task `call`',
      '15:15 `options.proxy.type` of task `call` must be one of `DIRECT`, `HTTP`, `SOCKS` or an expression, got `FTP` (did you mean `HTTP`?)',
    ]);
  });

  it('needs a known auth type', () => {
    const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
    options:
      auth:
        type: DIGEST`);
    expect(errorsOf(text)).toEqual([
      '9:15 `options.auth.type` of task `call` must be one of `BASIC`, `BEARER`, got `DIGEST`',
    ]);
  });

  it('accepts the deprecated flat options with a warning', () => {
    const text = flowWithTasks(`  - id: call
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/file.csv
    allowFailed: true
    options:
      connectTimeout: PT10S
      basicAuthUser: me
      basicAuthPassword: secret`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '7:5 `allowFailed` of task `call` is deprecated; use `options.allowFailed`',
      '9:7 `options.connectTimeout` of task `call` is deprecated; use `options.timeout.connectTimeout`',
      '10:7 `options.basicAuthUser` of task `call` is deprecated; use `options.auth`',
      '11:7 `options.basicAuthPassword` of task `call` is deprecated; use `options.auth`',
    ]);
  });
});

describe('storage tasks', () => {
  const split = (extra: string) =>
    flowWithTasks(
      `  - id: split\n    type: io.kestra.plugin.core.storage.Split\n    from: kestra://company/file.csv\n${extra}`,
    );

  it('splits one way only', () => {
    for (const way of ['rows: 10', 'bytes: 10MB', 'partitions: 4', 'regexPattern: "^(\\\\w+)"']) {
      expect(errorsOf(split(`    ${way}`)), way).toEqual([]);
      expect(warningsOf(split(`    ${way}`)), way).toEqual([]);
    }
  });

  it('needs a way to split', () => {
    expect(errorsOf(split(''))).toEqual([
      '4:5 task `split` needs one of `bytes`, `partitions`, `rows` or `regexPattern` to know how to split',
    ]);
  });

  it('warns that only one way is used when several are given', () => {
    const text = split('    rows: 10\n    bytes: 1MB\n    partitions: 2');
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([
      '7:5 `rows` is ignored because `bytes` is set: give only one way to split',
      '9:5 `partitions` is ignored because `bytes` is set: give only one way to split',
    ]);
  });

  it('checks FilterItems enums and takes its condition as a literal template', () => {
    const text = flowWithTasks(`  - id: filter
    type: io.kestra.plugin.core.storage.FilterItems
    from: kestra://company/orders.ion
    filterCondition: "{{ product_id == 20 }}"
    filterType: KEEP
    errorOrNullBehavior: IGNORE`);
    expect(errorsOf(text)).toEqual([
      '8:17 `filterType` of task `filter` must be one of `INCLUDE`, `EXCLUDE` or an expression, got `KEEP`',
      '9:26 `errorOrNullBehavior` of task `filter` must be one of `FAIL`, `INCLUDE`, `EXCLUDE` or an expression, got `IGNORE`',
    ]);
  });

  it('accepts Concat files as a list or an expression, and the legacy names', () => {
    const text = flowWithTasks(`  - id: a
    type: io.kestra.core.tasks.storages.Concat
    files: "{{ outputs.x.uris }}"
  - id: purge
    type: io.kestra.core.tasks.storages.PurgeExecution`);
    expect(errorsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks.map((t) => t.type)).toEqual([
      'io.kestra.plugin.core.storage.Concat',
      'io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles',
    ]);
  });
});

describe('namespace file tasks', () => {
  it('needs files or filesMap to upload', () => {
    const text = flowWithTasks(`  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company.team
    conflict: REPLACE`);
    expect(errorsOf(text)).toEqual([
      '7:15 `conflict` of task `upload` must be one of `OVERWRITE`, `ERROR`, `SKIP` or an expression, got `REPLACE`',
    ]);
    expect(errorsOf(text.replace('    conflict: REPLACE', '    conflict: SKIP'))).toEqual([
      '4:5 task `upload` has nothing to upload: give `files` or `filesMap`',
    ]);
  });

  it('accepts files as a list or the older map, and filesMap as a map or an expression', () => {
    for (const files of [
      'files: ["glob:**/dbt/**"]',
      'files:\n      /a.py: "{{ inputs.f }}"',
      'filesMap: "{{ outputs.unzip.files }}"',
      'filesMap:\n      /a.py: kestra://company/a.py',
    ]) {
      const text = flowWithTasks(`  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company.team
    ${files}`);
      expect(errorsOf(text), files).toEqual([]);
    }
  });
});
