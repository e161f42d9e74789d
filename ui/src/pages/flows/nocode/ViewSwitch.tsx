/** The YAML / No-code switch of the flow editor's toolbar. */

export type EditorView = 'yaml' | 'nocode';

/** Two buttons, the current view pressed. */
export function ViewSwitch({ view, onChange }: { view: EditorView; onChange: (view: EditorView) => void }) {
  return (
    <span className="view-switch" role="group" aria-label="Editor view">
      {(
        [
          ['yaml', 'YAML'],
          ['nocode', 'No-code'],
        ] as const
      ).map(([value, label]) => (
        <button
          key={value}
          type="button"
          aria-pressed={view === value}
          className={view === value ? 'primary' : ''}
          onClick={() => onChange(value)}
          data-testid={`view-${value}`}
        >
          {label}
        </button>
      ))}
    </span>
  );
}
