import type { Args, Expr } from './ast.js';

/** What a call's arguments are checked against: a filter's, function's or test's parameters. */
export interface Signature {
  name: string;
  params: readonly string[];
  required?: number;
  variadic?: boolean;
}

export type CallKind = 'filter' | 'function' | 'test';

/**
 * Puts a call's arguments in parameter order (named ones by name), or says what is wrong with
 * them: too many, an unknown or repeated name, a required one missing. Shared by the compiler
 * and the static checks of `flow validate`.
 */
export function arrangeArguments(
  args: Args,
  def: Signature,
  kind: CallKind,
  at: number,
): { slots: Array<Expr | undefined> } | { error: string; at: number } {
  const slots: Array<Expr | undefined> = [...args.positional];
  const label = kind === 'function' ? `\`${def.name}()\`` : `${kind} \`${def.name}\``;
  const count = def.params.length;
  if (!def.variadic && slots.length > count) {
    const names = count ? ` (${def.params.join(', ')})` : '';
    return {
      error: `${label} takes at most ${count} argument${count === 1 ? '' : 's'}${names}, got ${slots.length}`,
      at,
    };
  }
  for (const named of args.named) {
    const index = def.params.indexOf(named.name);
    if (index === -1) {
      const takes = count ? ` (it takes ${def.params.map((p) => `\`${p}\``).join(', ')})` : '';
      return { error: `${label} has no argument \`${named.name}\`${takes}`, at: named.at };
    }
    if (slots[index]) return { error: `${label}: argument \`${named.name}\` is given twice`, at: named.at };
    slots[index] = named.value;
  }
  for (let i = 0; i < (def.required ?? 0); i++) {
    if (!slots[i]) return { error: `${label} needs the argument \`${def.params[i]}\``, at };
  }
  return { slots };
}
