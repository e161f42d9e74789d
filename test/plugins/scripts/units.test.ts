/**
 * The pieces of script tasks on their own: line splitting, the `::{}::` protocol, the command
 * line, working-file names, the python shim.
 */
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogLevel, TaskLogger } from '../../../src/plugins/api.js';
import { commandLine, shellQuote } from '../../../src/plugins/scripts/run/commands.js';
import { findOnPath, kestraPythonDir, pythonShimDir } from '../../../src/plugins/scripts/run/environment.js';
import { LineSplitter } from '../../../src/plugins/scripts/run/lines.js';
import { ProtocolReader } from '../../../src/plugins/scripts/run/protocol.js';
import { parseInputFiles, pathInside, sourceOf } from '../../../src/plugins/shared/working-files.js';

const temp = mkdtempSync(join(tmpdir(), 'wh-scripts-units-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function split(chunks: Array<string | Buffer>, max?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), max);
  for (const c of chunks) splitter.write(typeof c === 'string' ? Buffer.from(c) : c);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits across chunks, drops \\r of CRLF, keeps a last line without newline and empty lines', () => {
    expect(split(['a\nb', 'c\r\n\nd'])).toEqual(['a', 'bc', '', 'd']);
    expect(split(['x\n'])).toEqual(['x']);
    expect(split([])).toEqual([]);
  });

  it('keeps a multi-byte character cut between chunks', () => {
    const bytes = Buffer.from('é€\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(['é€']);
  });

  it('passes a runaway line on in pieces', () => {
    expect(split(['abcdefghij', 'kl\nz'], 4)).toEqual(['abcd', 'efgh', 'ijkl', 'z']);
  });
});

describe('ProtocolReader', () => {
  function reader(): { protocol: ProtocolReader; logged: string[] } {
    const logged: string[] = [];
    const log = (level: LogLevel, m: string) => logged.push(`${level} ${m}`);
    const logger: TaskLogger = {
      log,
      trace: (m) => log('TRACE', m),
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
    };
    return { protocol: new ProtocolReader(logger), logged };
  }

  it('merges outputs, logs metrics at DEBUG and logs at their level', () => {
    const { protocol, logged } = reader();
    expect(protocol.accept('::{"outputs":{"a":1,"b":{"c":2}}}::')).toBe(true);
    expect(
      protocol.accept(
        '  ::{"outputs":{"a":3}, "logs":[{"level":"warning","message":"w"},{"message":"m"}]}::  ',
      ),
    ).toBe(true);
    expect(protocol.accept('::{"metrics":[{"name":"t","type":"timer","value":0.5}]}::')).toBe(true);
    expect(protocol.vars).toEqual({ a: 3, b: { c: 2 } });
    expect(logged).toEqual(['WARN w', 'INFO m', 'DEBUG Metric t (timer): 0.5 s']);
  });

  it('leaves other lines to be logged', () => {
    const { protocol } = reader();
    for (const line of ['hello', '::{bad}::', '::[1]::', ':: {"outputs":{}} ::x', '::"text"::'])
      expect(protocol.accept(line), line).toBe(false);
  });
});

describe('commandLine', () => {
  const base = { interpreter: undefined, beforeCommands: undefined, failFast: true };

  it('joins beforeCommands and commands for the interpreter, with set -e when failFast', () => {
    expect(commandLine({ ...base, beforeCommands: ['cd x'], commands: ['echo a', 'echo b'] })).toEqual([
      '/bin/sh',
      '-c',
      'set -e\ncd x\necho a\necho b',
    ]);
    expect(commandLine({ ...base, failFast: false, commands: ['a', 'b'] })).toEqual([
      '/bin/sh',
      '-c',
      'a\nb',
    ]);
    expect(commandLine({ ...base, interpreter: ['/bin/bash', '-c'], commands: ['python3 x.py'] })).toEqual([
      '/bin/bash',
      '-c',
      'set -e\npython3 x.py',
    ]);
  });

  it('starts one plain command directly, and anything the shell must read through the shell', () => {
    expect(commandLine({ ...base, commands: ['python3  -c pass'] })).toEqual(['python3', '-c', 'pass']);
    expect(commandLine({ ...base, commands: ['node /a/b.js --x=1'] })).toEqual(['node', '/a/b.js', '--x=1']);
    for (const command of [
      'echo $HOME',
      'exit 3',
      'cd dir',
      'A=1 env',
      'ls *.py',
      'a && b',
      "echo 'q'",
      ': ok',
    ])
      expect(commandLine({ ...base, commands: [command] })[0], command).toBe('/bin/sh');
  });

  it('quotes words for the shell', () => {
    expect(shellQuote('/plain/path.py')).toBe('/plain/path.py');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
  });
});

describe('working files', () => {
  it('accepts names inside the directory and refuses the others', () => {
    expect(pathInside('/w', 'a/b.txt', 'inputFiles')).toBe('/w/a/b.txt');
    for (const name of ['../x', '/etc/passwd', 'a/../../x', '', '.', 'a/..'])
      expect(() => pathInside('/w', name, 'inputFiles'), name).toThrow(
        /is not a path inside the working directory/,
      );
  });

  it('reads inputFiles as a map or JSON text; URIs are copied, other text written', () => {
    expect(parseInputFiles({ 'a.txt': 'x', n: 3 })).toEqual({ 'a.txt': 'x', n: '3' });
    expect(parseInputFiles('{"b": "y"}')).toEqual({ b: 'y' });
    expect(() => parseInputFiles('not json')).toThrow(/is not a JSON map of file name to content/);
    expect(() => parseInputFiles({ a: { b: 1 } })).toThrow(/the content of `a` must be text/);
    expect(sourceOf('kestra:///a/b.csv')).toEqual({ kind: 'uri', uri: 'kestra:///a/b.csv' });
    expect(sourceOf('kestra:///a\nmore')).toEqual({ kind: 'content', content: 'kestra:///a\nmore' });
  });
});

describe('environment', () => {
  it('finds the kestra module folder from the source tree', () => {
    expect(kestraPythonDir()).toBe(join(import.meta.dirname, '../../../python'));
  });

  it('links python to python3 when only python3 is on PATH', async () => {
    const bin = join(temp, 'only-python3');
    mkdirSync(bin);
    const python3 = findOnPath('python3', process.env.PATH)!;
    symlinkSync(python3, join(bin, 'python3'));
    const shim = await pythonShimDir(join(temp, 'work'), bin);
    expect(shim).toBe(join(temp, 'work', '.windhover', 'python-shim'));
    expect(readlinkSync(join(shim!, 'python'))).toBe(join(bin, 'python3'));
    // Nothing to do when python exists, or when python3 does not.
    symlinkSync(python3, join(bin, 'python'));
    expect(await pythonShimDir(join(temp, 'work2'), `${bin}:`)).toBeUndefined();
    expect(await pythonShimDir(join(temp, 'work3'), join(temp, 'empty'))).toBeUndefined();
  });
});
