import type { Scope } from '../scope.js';

/** What a filter, function or test sees of the render it runs in. */
export interface CallContext {
  /** The variables visible where the call is (the root context and `set`/`for` locals). */
  readonly scope: Scope;
  /** The IANA time zone dates are shown in when no zone is given (Kestra: the server's zone). */
  readonly timeZone: string;
  /** The current instant, the same for every call in one render. */
  now(): Date;
  /** Renders a template against the current context: `render()` and `renderOnce()`. */
  render(template: string, recursive: boolean): unknown;
  /**
   * Calls a function the caller of the render supplies (kv, secret, read, fileSize…). Results
   * are kept for the render; a function that answers with a promise suspends the render,
   * which resumes when the promise settles (only `renderAsync` can do that).
   */
  host(name: string, args: unknown[]): unknown;
  /**
   * The value of a promise made once per render (a lazily loaded module…): like `host`, it
   * suspends an async render until the promise settles.
   */
  wait<T>(key: string, load: () => Promise<T>): T;
  /** A value computed once per render, under a key. */
  memo<T>(key: string, make: () => T): T;
  /**
   * A random value that stays the same when an asynchronous render replays (after a KV or
   * secret read suspended it): the n-th random call of a pass gets the n-th value made.
   */
  stable<T>(make: () => T): T;
}

interface Callable {
  name: string;
  /** One line, for docs and editors. */
  description: string;
  /** Parameter names in order; named arguments are matched against them. */
  params: readonly string[];
  /** How many leading parameters are required. Default 0. */
  required?: number;
  /** Accepts more positional arguments than `params` (min, max). */
  variadic?: boolean;
}

export interface FilterDefinition extends Callable {
  /** Receives `undefined` instead of failing when the input does not exist (`default`). */
  acceptsUndefined?: boolean;
  apply(input: unknown, args: unknown[], call: CallContext): unknown;
}

export interface FunctionDefinition extends Callable {
  apply(args: unknown[], call: CallContext): unknown;
}

export interface TestDefinition extends Callable {
  /** Receives `undefined` instead of failing when the input does not exist (`defined`). */
  acceptsUndefined?: boolean;
  apply(input: unknown, args: unknown[], call: CallContext): boolean;
}

/** The filters, functions and tests a template may use. */
export interface Library {
  filters: ReadonlyMap<string, FilterDefinition>;
  functions: ReadonlyMap<string, FunctionDefinition>;
  tests: ReadonlyMap<string, TestDefinition>;
}

/** An error a filter or function throws for bad arguments or input; the message is shown as is. */
export class CallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallError';
  }
}
