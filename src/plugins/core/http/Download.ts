import { defineTask, p } from '../../api.js';
import { HTTP_OUTPUTS, httpProperties } from './http-props.js';
import { runDownload } from './run-download.js';

export default defineTask({
  type: 'io.kestra.plugin.core.http.Download',
  legacyNames: ['io.kestra.plugin.fs.http.Download'],
  title: 'Download a file over HTTP',
  description:
    'Sends an HTTP request and stores the response body as a file in internal storage. The file name comes from `saveAs`, else the `Content-Disposition` header, else the URL.',
  properties: {
    ...httpProperties(),
    failOnEmptyResponse: p
      .boolean()
      .default(true)
      .describe('Fail when the response body is empty (unless `options.allowFailed`).'),
    saveAs: p.string().describe('Name of the stored file.'),
  },
  outputs: {
    uri: { type: 'string', description: 'The `kestra://` URI of the downloaded file.' },
    ...HTTP_OUTPUTS,
    length: { type: 'integer', description: 'Size of the downloaded file in bytes.' },
  },
  run: runDownload,
  examples: [
    {
      title: 'Download a CSV file',
      code: `id: download_example
namespace: company.team
tasks:
  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv
    saveAs: orders.csv
  - id: size
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.extract.length }} bytes in {{ outputs.extract.uri }}"`,
    },
  ],
});
