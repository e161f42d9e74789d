/** Key/value rows for an execution's labels. */
export interface LabelRow {
  key: string;
  value: string;
}

/** Editable label rows with add and remove buttons. */
export function LabelsEditor({ rows, onChange }: { rows: LabelRow[]; onChange: (rows: LabelRow[]) => void }) {
  const set = (index: number, patch: Partial<LabelRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div className="labels-editor">
      {rows.map((row, index) => (
        <div className="label-row" key={index}>
          <input
            aria-label={`Label ${index + 1} key`}
            placeholder="key"
            value={row.key}
            onChange={(e) => set(index, { key: e.target.value })}
          />
          <input
            aria-label={`Label ${index + 1} value`}
            placeholder="value"
            value={row.value}
            onChange={(e) => set(index, { value: e.target.value })}
          />
          <button
            type="button"
            className="ghost"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add a label
        </button>
      </div>
    </div>
  );
}
