/** A failure repeated while the store is down is reported once per interval, and its end once. */
import { describe, expect, it } from 'vitest';
import { RepeatedFailure, oneLineError } from '../../src/engine/repeated-failure.js';

describe('RepeatedFailure', () => {
  it('reports the first failure, then one line per interval with a count, then the recovery', async () => {
    const lines: string[] = [];
    const failure = new RepeatedFailure('executor: reading steps', 50, (line) => lines.push(line));
    failure.succeeded(); // nothing failed: nothing to say
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at stack'), {
      code: 'ECONNREFUSED',
    });
    for (let i = 0; i < 5; i++) failure.failed(down);
    expect(failure.count).toBe(5);
    expect(lines).toEqual(['executor: reading steps failed: connect ECONNREFUSED 127.0.0.1:5432; retrying']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    failure.failed(new Error('the database system is starting up'));
    expect(lines[1]).toBe(
      'executor: reading steps failed: the database system is starting up (and 4 more failures since the last report); retrying',
    );
    failure.succeeded();
    expect(lines[2]).toMatch(/^executor: reading steps works again after 6 failed attempts over 0\.\d s$/);
    expect(failure.count).toBe(0);
    failure.failed('down again');
    expect(lines[3]).toBe('executor: reading steps failed: down again; retrying');
  });

  it('writes an error as one line, with the driver code when the message lacks it', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(oneLineError(terminated)).toBe('terminating connection due to administrator command [57P01]');
    expect(oneLineError(new TypeError('x is undefined\nmore'))).toBe('x is undefined');
  });
});
