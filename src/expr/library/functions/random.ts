import type { RenderState, Scope } from '../../scope.js';
import type { CallContext } from '../types.js';

/** The random calls made so far in the current pass of a render, by render. */
const PASSES = new WeakMap<RenderState, { top: Scope; count: number }>();

/**
 * A random value that stays the same when an asynchronous render replays (after a KV or secret
 * read suspended it): the n-th random call of a pass gets the n-th memoized value, so distinct
 * calls still differ. A pass starts with a new outermost scope (nested `render()` calls, made at
 * depth > 0, belong to the pass that made them).
 */
export function stableRandom<T>(call: CallContext, make: () => T): T {
  const scope = call.scope;
  let top = scope;
  while (top.parent) top = top.parent;
  const state = scope.state;
  let pass = PASSES.get(state);
  if (!pass || (state.depth === 0 && pass.top !== top)) {
    pass = { top, count: 0 };
    PASSES.set(state, pass);
  }
  return call.memo(`random#${pass.count++}`, make);
}
