import { describe, expect, it } from 'vitest';
import { JobAbort } from '../../../src/engine/worker/job-abort.js';

describe('JobAbort', () => {
  it('keeps the first reason and tells each listener once', () => {
    const abort = new JobAbort();
    const heard: string[] = [];
    abort.onAbort((reason) => heard.push(reason.kind));
    const removed = abort.onAbort((reason) => heard.push(`removed ${reason.kind}`));
    removed();
    expect(abort.aborted).toBe(false);
    abort.abort({ kind: 'timeout', label: 'PT1S' });
    abort.abort({ kind: 'kill' });
    expect(abort.reason).toEqual({ kind: 'timeout', label: 'PT1S' });
    expect(heard).toEqual(['timeout']);
  });

  it('gives a signal aborted with the reason, whether it is read before or after the abort', () => {
    const early = new JobAbort();
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort({ kind: 'kill' });
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toEqual({ kind: 'kill' });

    const late = new JobAbort();
    late.abort({ kind: 'shutdown' });
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toEqual({ kind: 'shutdown' });
    expect(late.signal).toBe(late.signal);
  });
});
