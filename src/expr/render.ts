import { compileNodes } from './compile.js';
import type { CompiledTemplate } from './compile.js';
import { ExpressionError, ExpressionErrorCodes, Undefined } from './errors.js';
import type { Library } from './library/types.js';
import { parseTemplate } from './parser.js';
import { RenderState, Scope, SUSPEND } from './scope.js';
import type { RenderOptions } from './scope.js';
import { plain } from './values.js';

/** How many times `render()` may re-render its result until it stops changing (Kestra: 100). */
const MAX_RECURSIVE_RENDERS = 100;
/** How deep `render()` calls may nest. */
const MAX_RENDER_DEPTH = 20;
/** How many times an async render may suspend and resume. */
const MAX_REPLAYS = 200;

/** Renders templates with one library of filters and functions, caching compiled templates. */
export interface TemplateEngine {
  /** Parses and compiles a template, or returns the cached compilation. Throws on syntax errors. */
  compile(template: string): CompiledTemplate;
  /** Renders to text. Host functions that answer with promises need `renderAsync`. */
  render(template: string, context: Readonly<Record<string, unknown>>, options?: RenderOptions): string;
  /** Renders a template that is exactly one `{{ expr }}` to the value's own type; others to text. */
  renderTyped(template: string, context: Readonly<Record<string, unknown>>, options?: RenderOptions): unknown;
  renderAsync(
    template: string,
    context: Readonly<Record<string, unknown>>,
    options?: RenderOptions,
  ): Promise<string>;
  renderTypedAsync(
    template: string,
    context: Readonly<Record<string, unknown>>,
    options?: RenderOptions,
  ): Promise<unknown>;
}

/** Creates an engine; `cacheSize` compiled templates are kept (least recently used go first). */
export function createTemplateEngine(library: Library, cacheSize = 10_000): TemplateEngine {
  const cache = new Map<string, CompiledTemplate>();

  function compile(template: string): CompiledTemplate {
    const hit = cache.get(template);
    if (hit) {
      // Refresh its place: Map keeps insertion order, so the oldest entry is the first one.
      cache.delete(template);
      cache.set(template, hit);
      return hit;
    }
    const compiled = compileNodes(template, parse(template), library, nested);
    cache.set(template, compiled);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return compiled;
  }

  /** `render()`: re-renders text against the global variables, until it stops changing. */
  function nested(template: string, recursive: boolean, scope: Scope): unknown {
    const state = scope.state;
    if (state.depth >= MAX_RENDER_DEPTH)
      throw new Error(`render() calls are nested more than ${MAX_RENDER_DEPTH} deep`);
    state.depth++;
    try {
      let current = template;
      for (let i = 0; i <= MAX_RECURSIVE_RENDERS; i++) {
        if (!current.includes('{')) return current;
        const next = runCompiled(compile(current), new Scope(scope.root, state), false, current) as string;
        if (!recursive || next === current) return next;
        current = next;
      }
      throw new Error(`the text still changed after ${MAX_RECURSIVE_RENDERS} renders`);
    } catch (error) {
      if (error === SUSPEND) throw error;
      if (error instanceof ExpressionError)
        throw new Error(`${error.message} (in \`${shorten(error.template)}\`)`, { cause: error });
      throw error;
    } finally {
      state.depth--;
    }
  }

  function run(
    template: string,
    context: Readonly<Record<string, unknown>>,
    state: RenderState,
    typed: boolean,
  ): unknown {
    if (!template.includes('{')) return template; // not a template: nothing to render (as Kestra)
    state.randomCount = 0; // a new pass: random calls count again from the first
    return runCompiled(compile(template), new Scope(context, state), typed, template);
  }

  function sync(
    template: string,
    context: Readonly<Record<string, unknown>>,
    options: RenderOptions,
    typed: boolean,
  ): unknown {
    try {
      return run(template, context, new RenderState(options), typed);
    } catch (error) {
      if (error === SUSPEND) {
        throw new ExpressionError(
          ExpressionErrorCodes.NEEDS_ASYNC,
          'this template reads the KV store, secrets or files; render it with renderAsync',
          0,
          template,
        );
      }
      throw error;
    }
  }

  async function replay(
    template: string,
    context: Readonly<Record<string, unknown>>,
    options: RenderOptions,
    typed: boolean,
  ): Promise<unknown> {
    const state = new RenderState(options);
    for (let attempt = 0; ; attempt++) {
      try {
        return run(template, context, state, typed);
      } catch (error) {
        if (error !== SUSPEND || attempt >= MAX_REPLAYS) throw error;
        const pending = [...state.pending.values()];
        state.pending.clear();
        await Promise.all(pending);
      }
    }
  }

  return {
    compile,
    render: (template, context, options = {}) => sync(template, context, options, false) as string,
    renderTyped: (template, context, options = {}) => sync(template, context, options, true),
    renderAsync: async (template, context, options = {}) =>
      (await replay(template, context, options, false)) as string,
    renderTypedAsync: (template, context, options = {}) => replay(template, context, options, true),
  };
}

/** Parses, falling back to reading `{{{ x }}}` as `{` + `{{ x }}` + `}` (course notes) if that alone fails. */
function parse(template: string) {
  try {
    return parseTemplate(template);
  } catch (error) {
    if (
      !(error instanceof ExpressionError) ||
      error.code !== ExpressionErrorCodes.SYNTAX ||
      !template.includes('{{{')
    )
      throw error;
    try {
      return parseTemplate(template, { lenientBraces: true });
    } catch {
      throw error;
    }
  }
}

function runCompiled(compiled: CompiledTemplate, scope: Scope, typed: boolean, template: string): unknown {
  try {
    if (typed && compiled.single) return plain(compiled.single(scope));
    return compiled.emit(scope);
  } catch (error) {
    if (error instanceof Undefined) {
      throw new ExpressionError(
        ExpressionErrorCodes.UNDEFINED,
        `Unable to find \`${error.path}\`: ${error.reason}`,
        error.offset,
        template,
      );
    }
    throw error;
  }
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
