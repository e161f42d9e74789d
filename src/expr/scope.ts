import type { CallContext } from './library/types.js';

/** Marks a value that does not exist; distinct from null, which is a value. */
export const UNDEFINED: unique symbol = Symbol('undefined');

/** Thrown (and caught by `renderAsync`) when a host function answered with a promise. */
export const SUSPEND: unique symbol = Symbol('suspend');

/** Functions the caller of a render supplies: kv, secret, read, fileSize… */
export type HostFunction = (args: unknown[]) => unknown;

export interface RenderOptions {
  /** Functions backed by the caller (KV store, secrets, internal storage). */
  host?: Readonly<Record<string, HostFunction>>;
  /** IANA zone for dates without one. Default: the process's zone. */
  timeZone?: string;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
  /** Longest output of one render, in characters. Default 10,000,000. */
  maxOutputLength?: number;
}

let cachedZone: string | undefined;

/** The process's time zone, read once (Intl resolves it slowly, and it does not change). */
function processTimeZone(): string {
  return (cachedZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** State shared by one render and its nested `render()` calls, and kept across replays. */
export class RenderState {
  readonly memo = new Map<string, unknown>();
  readonly pending = new Map<string, Promise<unknown>>();
  readonly maxOutputLength: number;
  /** Nested `render()` depth. */
  depth = 0;
  /** Random values asked for so far in the current pass (a replay starts a new pass). */
  randomCount = 0;
  private instant: Date | undefined;
  private zone: string | undefined;

  constructor(readonly options: RenderOptions) {
    this.maxOutputLength = options.maxOutputLength ?? 10_000_000;
  }

  /** The zone of dates without one; read when first needed: the process's costs ~30 ms of Intl set-up. */
  get timeZone(): string {
    return (this.zone ??= this.options.timeZone ?? processTimeZone());
  }

  now(): Date {
    this.instant ??= (this.options.now ?? (() => new Date()))();
    return this.instant;
  }
}

/** Variables visible at a point of a template: the root context, then `set`/`for` locals. */
export class Scope {
  private locals: Map<string, unknown> | undefined;
  /** The CallContext of calls made in this scope, made on first use. */
  context: CallContext | undefined;

  constructor(
    readonly root: Readonly<Record<string, unknown>>,
    readonly state: RenderState,
    readonly parent?: Scope,
  ) {}

  /** The value of a name, or UNDEFINED. */
  lookup(name: string): unknown {
    if (this.locals?.has(name)) return this.locals.get(name);
    if (this.parent) return this.parent.lookup(name);
    return Object.prototype.hasOwnProperty.call(this.root, name) ? this.root[name] : UNDEFINED;
  }

  set(name: string, value: unknown): void {
    (this.locals ??= new Map()).set(name, value);
  }

  /** Every variable visible here, locals over the root (for printContext()). */
  variables(): Record<string, unknown> {
    const out: Record<string, unknown> = this.parent ? this.parent.variables() : { ...this.root };
    this.locals?.forEach((v, k) => (out[k] = v));
    return out;
  }
}

/**
 * The CallContext of calls made in one scope. A class, not an object of closures: it is made for
 * every scope that calls a filter, on the hot path of rendering.
 */
class ScopeCallContext implements CallContext {
  constructor(
    readonly scope: Scope,
    private readonly nested: (template: string, recursive: boolean, scope: Scope) => unknown,
  ) {}

  get timeZone(): string {
    return this.scope.state.timeZone;
  }

  now(): Date {
    return this.scope.state.now();
  }

  render(template: string, recursive: boolean): unknown {
    return this.nested(template, recursive, this.scope);
  }

  host(name: string, args: unknown[]): unknown {
    const state = this.scope.state;
    const key = `${name}\u0000${JSON.stringify(args)}`;
    if (state.memo.has(key)) {
      const memo = state.memo.get(key) as { value?: unknown; error?: unknown };
      if ('error' in memo) throw memo.error;
      return memo.value;
    }
    const fn = state.options.host?.[name];
    if (!fn) throw new Error(`\`${name}()\` is not available here`);
    const result = fn(args);
    if (result instanceof Promise) return this.suspendOn(key, result);
    state.memo.set(key, { value: result });
    return result;
  }

  wait<T>(key: string, load: () => Promise<T>): T {
    const memo = this.scope.state.memo;
    const full = `wait\u0000${key}`;
    if (memo.has(full)) {
      const settled = memo.get(full) as { value?: T; error?: unknown };
      if ('error' in settled) throw settled.error;
      return settled.value as T;
    }
    return this.suspendOn(full, load());
  }

  /** Remembers what the promise settles to under `key`, and suspends the render until then. */
  private suspendOn(key: string, promise: Promise<unknown>): never {
    const state = this.scope.state;
    state.pending.set(
      key,
      promise.then(
        (value: unknown) => state.memo.set(key, { value }),
        (error: unknown) => state.memo.set(key, { error }),
      ),
    );
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a control signal: renderAsync waits and replays
    throw SUSPEND;
  }

  stable<T>(make: () => T): T {
    return this.memo(`random#${this.scope.state.randomCount++}`, make);
  }

  memo<T>(key: string, make: () => T): T {
    const memo = this.scope.state.memo;
    const full = `memo\u0000${key}`;
    if (!memo.has(full)) memo.set(full, make());
    return memo.get(full) as T;
  }
}

/** Builds the CallContext of a call made in `scope`. */
export function callContext(
  scope: Scope,
  render: (template: string, recursive: boolean, scope: Scope) => unknown,
): CallContext {
  return new ScopeCallContext(scope, render);
}
