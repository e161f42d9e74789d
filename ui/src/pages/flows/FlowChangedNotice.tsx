/** The editor's notices that the flow was saved or deleted elsewhere (its file on disk, another client). */
import type { Flow } from '../../api/flows';

/** Says which revision is newer, and offers to load it or to keep the editor's text. */
export function FlowChangedNotice({
  latest,
  dirty,
  onLoad,
  onKeep,
}: {
  latest: Flow;
  dirty: boolean;
  onLoad: () => void;
  onKeep: () => void;
}) {
  return (
    <div className="flow-changed" role="alert" data-testid="flow-changed" data-revision={latest.revision}>
      <span>
        <strong>This flow changed outside the editor</strong>: revision {latest.revision} was saved from its
        file on disk or by another client.{' '}
        {dirty
          ? 'Loading it replaces your unsaved changes; keeping yours and saving overwrites it.'
          : 'Load it to edit the latest text.'}
      </span>
      <button type="button" className="primary" onClick={onLoad} data-testid="flow-changed-load">
        Load revision {latest.revision}
      </button>
      <button type="button" onClick={onKeep} data-testid="flow-changed-keep">
        Keep {dirty ? 'my changes' : 'this text'}
      </button>
    </div>
  );
}

/** Says the flow is gone; the editor keeps its text, and Save creates the flow again. */
export function FlowDeletedNotice() {
  return (
    <div className="flow-changed" role="alert" data-testid="flow-deleted">
      <span>
        <strong>This flow was deleted outside the editor</strong>: its file was removed from the folder, or
        another client deleted it. Your text is still here: <strong>Save</strong> creates the flow again.
      </span>
    </div>
  );
}
