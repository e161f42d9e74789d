import { CTX } from '../case.js';
import type { ExprCase } from '../case.js';

const EVALUATION = 'WH_EXPR_EVALUATION';
const ARGUMENTS = 'WH_EXPR_ARGUMENTS';

const INPUTS = CTX.inputs as Record<string, unknown>;

/** The shared context, with texts to parse (Pebble string literals cannot hold line breaks). */
const DATA = {
  ...CTX,
  inputs: {
    ...INPUTS,
    doc: 'a: 1\nb: [x, y]\nc:\n  d: true',
    ion: '{a:1,b:"two",c:[1.5e0,null,true],d:2024-01-01T00:00:00Z,\'e f\':sym}\n{a:2}',
  },
};

/** A ForEach iteration, as Kestra's documented jq-with-ForEach example runs it. */
const ITERATION = { ...CTX, taskrun: { id: 'tr2', value: '{"name": "alpha", "value": 1}' } };

/** Nested ForEach loops: outputs are keyed by the parent's value, then by the current one. */
const NESTED = {
  ...CTX,
  parents: [{ taskrun: { value: 'x' } }],
  outputs: { inner: { x: { a: { v: 'xa' }, b: { v: 'xb' } }, y: { b: { v: 'yb' } } } },
};

/** A KV store that answers later, so that the render suspends and replays. */
const ASYNC_KV = { kv: (args: unknown[]) => Promise.resolve(String(args[0])) };

/** Conformance cases: functions (but the dates, render() and the host functions). */
export const FUNCTION_CASES: readonly ExprCase[] = [
  // range
  { t: '{{ range(0, 3) }}', out: '[0,1,2,3]', name: 'documented: range' },
  { t: '{{ range(0, 6, 2) }}', out: '[0,2,4,6]', name: 'documented: range with a step' },
  { t: '{{ range(5, 1, -2) }}', out: '[5,3,1]' },
  { t: '{{ range(start=1, end=3) }}', out: '[1,2,3]' },
  { t: '{{ range(1, 3, increment=2) }}', out: '[1,3]' },
  { t: "{{ range('a', 'e') }}", out: '["a","b","c","d","e"]', name: 'range of characters' },
  { t: '{{ range(3, 1) }}', out: '[]' },
  { t: '{{ range(1.7, 3.2) }}', out: '[1,2,3]', name: 'range truncates decimals, as Java longValue()' },
  { t: '{% for i in range(1, 3) %}{{ i }}{% endfor %}', out: '123' },
  {
    t: '{{ range(1, 2, 0) }}',
    err: { code: EVALUATION, message: '`range()`: `range()` needs an `increment` other than 0' },
  },
  { t: '{{ range(0, 2000000) }}', err: { code: EVALUATION, message: 'cannot make more than 1000000 items' } },
  {
    t: "{{ range('a', 3) }}",
    err: {
      code: EVALUATION,
      message: '`range()` needs two numbers or two single characters, got a string and a number',
    },
  },
  { t: '{{ range(1) }}', err: { code: ARGUMENTS, message: '`range()` needs the argument `end`' } },
  {
    t: '{{ range(1, 2, 3, 4) }}',
    err: { code: ARGUMENTS, message: '`range()` takes at most 3 arguments (start, end, increment), got 4' },
  },
  // max, min
  { t: '{{ max(5, 10, 15) }}', out: '15', name: 'documented: max' },
  { t: '{{ min(5, 10, 15) }}', out: '5', name: 'documented: min' },
  { t: '{{ min(4, 2.5, 3) }}', out: '2.5' },
  { t: '{{ max(inputs.n, 10) }}', out: '10' },
  { t: '{{ min(inputs.n) }}', out: '5' },
  { t: '{{ max() }}', out: '' },
  { t: '{{ max(null, 2, 1) }}', out: '2', name: 'a null first value is replaced' },
  { t: '{{ min(1, null, 0) }}', out: '0' },
  { t: "{{ max(1, 'a') }}", err: { code: EVALUATION, message: '`max()` needs numbers, got a string' } },
  // fromJson, json, jsonDecode
  { t: `{{ fromJson('{"a": [1, 2]}').a[1] }}`, out: '2' },
  { t: `{{ fromJson('[1, "x", true, null]') }}`, out: '[1,"x",true,null]' },
  { t: `{{ fromJson(json='{"a":1}') }}`, out: '{"a":1}' },
  { t: `{{ json('{"k": "v"}').k }}`, out: 'v', name: 'json() is the deprecated name of fromJson()' },
  { t: "{{ jsonDecode('42') + 1 }}", out: '43' },
  { t: '{{ fromJson(inputs.nothing) }}', out: '' },
  {
    t: '{{ fromJson(taskrun.value).name }}',
    ctx: ITERATION,
    out: 'alpha',
    name: 'documented: fromJson(taskrun.value) in a ForEach',
  },
  {
    t: "{{ fromJson(taskrun.value) | jq('.value * 2') | first }}",
    ctx: ITERATION,
    out: '2',
    name: 'documented: jq in a ForEach',
  },
  { t: "{{ fromJson('{bad') }}", err: { code: EVALUATION, message: '`fromJson()`: invalid JSON' } },
  {
    t: '{{ fromJson(5) }}',
    err: { code: EVALUATION, message: '`fromJson()` needs a string of JSON, got a number' },
  },
  { t: '{{ fromJson() }}', err: { code: ARGUMENTS, message: '`fromJson()` needs the argument `json`' } },
  // yaml
  { t: '{{ yaml(inputs.doc).a }}', ctx: DATA, out: '1' },
  { t: '{{ yaml(inputs.doc).b }}', ctx: DATA, out: '["x","y"]' },
  { t: '{{ yaml(inputs.doc).c.d }}', ctx: DATA, out: 'true' },
  { t: "{{ yaml(yaml='k: v') }}", out: '{"k":"v"}' },
  { t: '{{ yaml(5) }}', err: { code: EVALUATION, message: '`yaml()` needs a string of YAML, got a number' } },
  {
    t: '{{ yaml(inputs.nothing) }}',
    err: { code: EVALUATION, message: '`yaml()` needs a string of YAML, got null' },
  },
  { t: "{{ yaml('a: [') }}", err: { code: EVALUATION, message: '`yaml()`: invalid YAML' } },
  // fromIon, ionDecode
  { t: '{{ fromIon(inputs.ion).b }}', ctx: DATA, out: 'two' },
  {
    t: '{{ fromIon(inputs.ion) }}',
    ctx: DATA,
    out: '{"a":1,"b":"two","c":[1.5,null,true],"d":"2024-01-01T00:00:00Z","e f":"sym"}',
  },
  { t: '{{ fromIon(inputs.ion, allRows=true) | length }}', ctx: DATA, out: '2' },
  {
    t: `{{ fromIon('[1, 2.5e0, 3.25, "x", null.string, true, 0x1F]') }}`,
    out: '[1,2.5,3.25,"x",null,true,31]',
  },
  { t: "{{ ionDecode('{a:1}').a }}", out: '1' },
  { t: "{{ fromIon({'a': [1, 'x']} | toIon).a }}", out: '[1,"x"]', name: 'toIon and fromIon round-trip' },
  { t: '{{ fromIon(inputs.nothing) }}', out: '' },
  { t: "{{ fromIon('{a:') }}", err: { code: EVALUATION, message: '`fromIon()`: invalid Ion' } },
  {
    t: "{{ fromIon('{a:1}', allRows='yes') }}",
    err: { code: EVALUATION, message: '`fromIon` needs `true` or `false` as `allRows`' },
  },
  // uuid, id, ksuid, nanoId, randomInt
  { t: '{{ uuid() | length }}', out: '36' },
  {
    t: "{{ uuid() | regexMatch('^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$') }}",
    out: 'true',
    name: 'uuid() is a version 7 UUID',
  },
  { t: '{{ uuid() == uuid() }}', out: 'false', name: 'each call makes a new one' },
  {
    t: '{% for i in range(1, 3) %}{% set u = uuid() %}{% endfor %}{{ [uuid(), uuid(), uuid()] | distinct | length }}',
    out: '3',
  },
  { t: "{{ id() | regexMatch('^[0-9A-Za-z]{1,22}$') }}", out: 'true', name: 'id() is a short base-62 id' },
  { t: "{{ ksuid() | regexMatch('^[0-9A-Za-z]{27}$') }}", out: 'true' },
  { t: "{{ nanoId() | regexMatch('^[0-9A-Za-z_-]{21}$') }}", out: 'true' },
  { t: '{{ nanoId(length=10) | length }}', out: '10', name: 'documented: nanoId(length=10)' },
  { t: "{{ nanoId(8, alphabet='ab') | regexMatch('^[ab]{8}$') }}", out: 'true' },
  {
    t: '{{ nanoId(1001) }}',
    err: { code: EVALUATION, message: '`nanoId()` needs a `length` of at most 1000' },
  },
  { t: '{{ randomInt(1, 2) }}', out: '1', name: 'the upper bound is excluded' },
  { t: '{{ randomInt(lower=5, upper=5) }}', out: '5' },
  {
    t: '{% set r = randomInt(1, 10) %}{{ r >= 1 and r < 10 }}',
    out: 'true',
    name: 'documented: randomInt(1, 10)',
  },
  {
    t: '{{ randomInt(5, 1) }}',
    err: { code: EVALUATION, message: '`randomInt()` needs `upper` (1) to be at least `lower` (5)' },
  },
  {
    t: '{{ randomInt(1.5, 3) }}',
    err: { code: EVALUATION, message: '`randomInt()` needs a whole number as `lower`, got a number' },
  },
  { t: '{{ randomInt(1) }}', err: { code: ARGUMENTS, message: '`randomInt()` needs the argument `upper`' } },
  { t: '{{ uuid(1) }}', err: { code: ARGUMENTS, message: '`uuid()` takes at most 0 arguments, got 1' } },
  {
    t: '{{ kv(uuid()) | length }}',
    host: ASYNC_KV,
    out: '36',
    name: 'a random value stays the same when the render replays',
  },
  {
    t: '{{ kv(uuid()) == kv(uuid()) }}',
    host: ASYNC_KV,
    out: 'false',
    name: 'and two calls still differ across replays',
  },
  { t: "{{ kv('n' ~ randomInt(0, 1000000)) | length > 1 }}", host: ASYNC_KV, out: 'true' },
  // printContext, fetchContext
  { t: '{{ printContext().flow.id }}', out: 'taxi' },
  { t: '{% set x = 1 %}{{ printContext().x }}', out: '1', name: 'printContext() sees set variables' },
  { t: '{{ fetchContext().labels.team }}', out: 'data' },
  { t: '{{ printContext() | keys | length }}', out: '7' },
  // currentEachOutput
  { t: '{{ currentEachOutput(outputs.each).value }}', out: 'B', name: 'the output of the current iteration' },
  { t: '{{ currentEachOutput(outputs=outputs.each) }}', out: '{"value":"B"}' },
  {
    t: '{{ currentEachOutput(outputs.inner).v }}',
    ctx: NESTED,
    out: 'xb',
    name: 'nested loops: parent value, then current value',
  },
  { t: "{{ currentEachOutput({'a': 1}) }}", out: '' },
  {
    t: "{{ currentEachOutput({'y': {}}) }}",
    ctx: NESTED,
    err: { code: EVALUATION, message: 'no outputs for the current task runs path' },
  },
  {
    t: "{{ currentEachOutput('x') }}",
    err: {
      code: EVALUATION,
      message: '`currentEachOutput()` needs the outputs of a task in a loop (a map), got a string',
    },
  },
  {
    t: '{{ currentEachOutput() }}',
    err: { code: ARGUMENTS, message: '`currentEachOutput()` needs the argument `outputs`' },
  },
];
