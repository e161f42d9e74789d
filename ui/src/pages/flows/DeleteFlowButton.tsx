/**
 * The flow page's Delete: a dialog asks first (the flow leaves the list and its triggers stop;
 * its executions and revisions stay; loaded from a folder with `-f`, its file is removed too).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { deleteFlow } from '../../api/flows';
import { ErrorBox } from '../../components/ErrorBox';
import { ConfirmDeleteModal } from '../namespaces/Modal';

/** A Delete button and its confirmation dialog; after the delete, the flows of the namespace show. */
export function DeleteFlowButton({ namespace, flowId }: { namespace: string; flowId: string }) {
  const [asking, setAsking] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteFlow(namespace, flowId),
    onSuccess: async () => {
      setAsking(false);
      queryClient.removeQueries({ queryKey: ['flow', namespace, flowId] });
      await queryClient.invalidateQueries({ queryKey: ['flows'] });
      void navigate(`/flows?namespace=${encodeURIComponent(namespace)}`);
    },
  });
  const close = () => {
    if (!remove.isPending) setAsking(false);
  };
  return (
    <>
      <button type="button" className="danger" onClick={() => setAsking(true)} data-testid="delete-flow">
        Delete
      </button>
      {asking && (
        <ConfirmDeleteModal
          title={`Delete ${namespace}.${flowId}?`}
          onClose={close}
          onConfirm={() => remove.mutate()}
          busy={remove.isPending}
          testId="flow-delete"
        >
          <p>
            The flow leaves the list and its triggers stop; its executions and revisions stay. When the server
            loads flows from a folder (<code>-f</code>), the flow&apos;s file is deleted too.
          </p>
          {remove.isError && <ErrorBox error={remove.error} title="The flow was not deleted" />}
        </ConfirmDeleteModal>
      )}
    </>
  );
}
