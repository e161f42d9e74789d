/**
 * A `kestra://` file of the execution: previewed as text (the first 256 kB) or, for CSV, as a
 * table of its first rows; and downloadable.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fetchExecutionFile } from '../../api/executions';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { parseCsv } from './csv';
import { downloadResponse, fileNameOf } from './download';

const PREVIEW_BYTES = 256 * 1024;
const CSV_ROWS = 100;

/** The first `limit` bytes of a response as text, and whether there was more. */
async function readHead(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: await response.text(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes.length - offset));
    bytes.set(part, offset);
    offset += part.length;
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

function Preview({ executionId, uri }: { executionId: string; uri: string }) {
  const preview = useQuery({
    queryKey: ['execution-file', executionId, uri],
    queryFn: async ({ signal }) =>
      readHead(await fetchExecutionFile(executionId, uri, signal), PREVIEW_BYTES),
  });
  if (preview.isPending) return <Loading label="Reading the file…" />;
  if (preview.isError) return <ErrorBox error={preview.error} title="The file cannot be read" />;
  const { text, truncated } = preview.data;
  if (/\.csv$/i.test(uri)) {
    const rows = parseCsv(text, CSV_ROWS + 1);
    const [head, ...body] = rows;
    return (
      <div className="file-preview" data-testid="file-preview">
        <table className="table csv-table">
          <thead>
            <tr>
              {head?.map((cell, index) => (
                <th key={index}>{cell}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.slice(0, CSV_ROWS).map((row, index) => (
              <tr key={index}>
                {row.map((cell, column) => (
                  <td key={column}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {(truncated || body.length > CSV_ROWS) && <p className="muted">The first {CSV_ROWS} rows.</p>}
      </div>
    );
  }
  return (
    <div className="file-preview" data-testid="file-preview">
      <pre className="file-text">{text}</pre>
      {truncated && (
        <p className="muted">The first {PREVIEW_BYTES / 1024} kB; download the file for all of it.</p>
      )}
    </div>
  );
}

/** A file value: its name, a preview toggle and a download button. */
export function FileValue({ executionId, uri }: { executionId: string; uri: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setError(undefined);
    try {
      await downloadResponse(await fetchExecutionFile(executionId, uri), fileNameOf(uri));
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <div className="file-value" data-testid="file-value">
      <div className="file-head">
        <code title={uri}>{fileNameOf(uri)}</code>
        <button type="button" onClick={() => setOpen(!open)}>
          {open ? 'Hide' : 'Preview'}
        </button>
        <button type="button" onClick={() => void download()}>
          Download
        </button>
      </div>
      {error !== undefined && <ErrorBox error={error} title="The file cannot be downloaded" />}
      {open && <Preview executionId={executionId} uri={uri} />}
    </div>
  );
}
