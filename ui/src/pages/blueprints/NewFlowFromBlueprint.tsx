/** The new-flow editor filled with a blueprint's YAML (`/flows/new?blueprint=<id>`). */
import { useQuery } from '@tanstack/react-query';
import { getBlueprint } from '../../api/blueprints';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { FlowSourceEditor } from '../flows/FlowSourceEditor';

export function NewFlowFromBlueprint({ id }: { id: string }) {
  const blueprint = useQuery({
    queryKey: ['blueprint', id],
    queryFn: ({ signal }) => getBlueprint(id, signal),
    // The editor keeps its own text: do not replace it under the user's cursor.
    refetchOnWindowFocus: false,
  });
  if (blueprint.isPending) return <Loading />;
  if (blueprint.isError)
    return <ErrorBox error={blueprint.error} title={`Blueprint ${id} could not be loaded`} />;
  return <FlowSourceEditor initialSource={blueprint.data.source} />;
}
