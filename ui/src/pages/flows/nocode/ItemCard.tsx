/** A foldable card of the no-code view (an input, a task, a trigger) with move up/down and delete buttons. */

export function ItemCard({
  testId,
  title,
  subtitle,
  open,
  onToggle,
  onUp,
  onDown,
  onDelete,
  onFocus,
  children,
}: {
  testId: string;
  title: string;
  subtitle: string;
  open: boolean;
  onToggle: () => void;
  onUp: (() => void) | undefined;
  onDown: (() => void) | undefined;
  onDelete: () => void;
  onFocus?: (event: React.FocusEvent) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="nocode-item card" data-testid={testId} onFocus={onFocus}>
      <div className="nocode-item-header">
        <button type="button" className="nocode-fold" onClick={onToggle} aria-expanded={open}>
          {open ? '▾' : '▸'} <strong>{title || '(no id)'}</strong>{' '}
          <span className="nocode-type">{subtitle}</span>
        </button>
        <span className="spacer" />
        <button type="button" onClick={onUp} disabled={!onUp} title="Move up" aria-label="Move up">
          ↑
        </button>
        <button type="button" onClick={onDown} disabled={!onDown} title="Move down" aria-label="Move down">
          ↓
        </button>
        <button type="button" className="danger" onClick={onDelete} title="Delete" aria-label="Delete">
          ✕
        </button>
      </div>
      {/* Folded cards render their header only: a 200-task flow opens as fast as a short one. */}
      {open && <div className="nocode-item-body">{children}</div>}
    </div>
  );
}
