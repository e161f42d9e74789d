import type { CallContext } from '../types.js';

/** A random value that stays the same when an asynchronous render replays (see CallContext.stable). */
export function stableRandom<T>(call: CallContext, make: () => T): T {
  return call.stable(make);
}
