/**
 * What the editor learns from the server while the user types (debounced): validation problems
 * as editor markers, and the graph of the YAML (the last good one stays while the YAML is broken).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { graphOfSource, validateFlow } from '../../api/flows';
import type { FlowGraphData, FlowProblem } from '../../api/flows';
import { flowSchema } from '../../api/plugins';
import type { EditorMarker } from '../../components/editor/CodeEditor';
import { setYamlSchema } from '../../components/editor/monaco';
import { useDebounced } from './useDebounced';

const DEBOUNCE_MS = 300;

/** The model paths the flow schema applies to (the editor's `path`). */
export const FLOW_MODEL_GLOB = '**/*.flow.yaml';

/** Validation problems of `source` (debounced) and the markers they make. */
export function useFlowValidation(source: string) {
  const debounced = useDebounced(source, DEBOUNCE_MS);
  const validation = useQuery({
    queryKey: ['flows', 'validate', debounced],
    queryFn: ({ signal }) => validateFlow(debounced, signal),
    enabled: debounced.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  const problems: FlowProblem[] = useMemo(
    () => (debounced.trim() === '' ? [] : (validation.data ?? []).flatMap((v) => v.problems)),
    [validation.data, debounced],
  );
  const markers: EditorMarker[] = useMemo(
    () =>
      problems.map((p) => ({
        line: p.line,
        column: p.column,
        message: p.message,
        severity: p.severity === 'error' ? 'error' : 'warning',
      })),
    [problems],
  );
  return {
    problems,
    markers,
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    // True while the server has not yet seen the latest text.
    pending: debounced !== source || validation.isFetching,
    failure: validation.error,
  };
}

/** The graph of `source` (debounced); keeps the previous graph while the YAML does not parse. */
export function useSourceGraph(source: string, enabled: boolean) {
  const debounced = useDebounced(source, DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['flows', 'graph-of-source', debounced],
    queryFn: ({ signal }) => graphOfSource(debounced, signal),
    enabled: enabled && debounced.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  // While the YAML is half typed and does not parse, the last graph that did stays on screen.
  const [lastGood, setLastGood] = useState<FlowGraphData | undefined>();
  useEffect(() => {
    if (query.data) setLastGood(query.data);
  }, [query.data]);
  return { graph: query.data ?? lastGood, error: query.isError ? query.error : undefined };
}

/** The query of the flow JSON Schema, loaded once (the YAML completion and the no-code forms share it). */
export const flowSchemaQuery = {
  queryKey: ['plugins', 'schema', 'flow'],
  queryFn: ({ signal }: { signal: AbortSignal }) => flowSchema(signal),
  staleTime: Infinity,
};

/** Loads the flow JSON Schema once and gives it to monaco-yaml (completion and hovers). */
export function useFlowSchema() {
  const schema = useQuery(flowSchemaQuery);
  useEffect(() => {
    if (schema.data) setYamlSchema('windhover://schemas/flow.json', [FLOW_MODEL_GLOB], schema.data);
  }, [schema.data]);
  return schema;
}
