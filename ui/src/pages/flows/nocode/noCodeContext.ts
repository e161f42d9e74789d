/**
 * What every card of the no-code view needs, however deep it is nested: the flow schema, the edits
 * of the YAML (each one rewrites the whole text, see flowDocument.ts), which cards are unfolded,
 * and the flow's task ids (new ids must be new in the whole flow).
 */
import { createContext, useContext } from 'react';
import type { NodePath } from './flowDocument';
import type { PluginKind, SchemaNode } from './schemaFields';

/** The edits a form makes; each calls the editor's `onChange` with the new YAML. */
export interface NoCodeEdits {
  set: (path: NodePath, value: unknown) => void;
  add: (path: NodePath, item: Record<string, unknown>) => void;
  move: (path: NodePath, index: number, delta: number) => void;
  remove: (path: NodePath, index: number) => void;
  addKey: (path: NodePath, key: string) => void;
  removeKey: (path: NodePath, key: string) => void;
}

export interface NoCodeContextValue {
  schema: SchemaNode;
  edits: NoCodeEdits;
  /** The properties every task has (shown folded, apart). */
  common: Set<string>;
  /** The types a list of each kind can add. */
  types: Record<PluginKind, string[]>;
  /** Every task and trigger id of the flow. */
  ids: string[];
  /** Whether the card at `key` is unfolded (the user's choice, or the flow's size). */
  isOpen: (key: string) => boolean;
  setOpen: (key: string, open: boolean) => void;
  onTaskType?: ((type: string | undefined) => void) | undefined;
}

export const NoCodeContext = createContext<NoCodeContextValue | undefined>(undefined);

/** The no-code view's context (only inside `NoCodeEditor`). */
export function useNoCode(): NoCodeContextValue {
  const value = useContext(NoCodeContext);
  if (!value) throw new Error('useNoCode outside NoCodeEditor');
  return value;
}

/** The key of a card's fold state: its path in the flow. */
export const pathKey = (path: NodePath) => path.join('.');
