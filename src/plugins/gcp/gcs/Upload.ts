import { defineTask, p } from '../../api.js';
import { startsWithPrefix } from '../../api.js';
import { gcpProps, given, shown } from '../common.js';

const TYPE = 'io.kestra.plugin.gcp.gcs.Upload';

/** A value that is a single `{{ … }}` expression and nothing else. */
const WHOLE_EXPRESSION = /^\s*\{\{(?:(?!\}\})[\s\S])*\}\}\s*$/;

/** The bucket name as written, without a `gs://` prefix or trailing `/`. */
function bucketName(bucket: string): string {
  return bucket.replace(/^gs:\/\//, '').replace(/\/+$/, '');
}

export default defineTask({
  type: TYPE,
  aliases: ['io.kestra.plugin.gcp.storage.Upload'],
  title: 'Upload a file to Cloud Storage',
  description:
    'Copies a file to a `gs://` object. The course notes write `bucket` plus a path in `to`; that becomes `to: gs://<bucket>/<path>`.',
  properties: {
    ...gcpProps(),
    from: p
      .string()
      .required()
      .describe('The file to upload: a `kestra://` URI (e.g. `{{ outputs.download.uri }}`) or a local path.'),
    to: p
      .string()
      .required()
      .describe('The destination object, `gs://bucket/path/file.csv` (with `bucket`: the path inside it).'),
    contentType: p.string().describe('The Content-Type stored with the object, e.g. `text/csv`.'),
    contentEncoding: p.string().describe('The Content-Encoding stored with the object, e.g. `gzip`.'),
    contentDisposition: p.string().describe('The Content-Disposition stored with the object.'),
    cacheControl: p.string().describe('The Cache-Control stored with the object.'),
    bucket: p
      .string()
      .aliasOf('to')
      .describe(
        'Course-notes name: the bucket, with `to` a path inside it. Mapped onto `to: gs://<bucket>/<to>`; Kestra has no `bucket`.',
      ),
  },
  outputs: { uri: { type: 'string', description: 'The `gs://` URI of the uploaded object.' } },
  examples: [
    {
      title: 'Upload a downloaded file',
      code: `id: upload_to_gcs
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    serviceAccount: "{{ secret('GCP_CREDS') }}"
    from: "{{ inputs.file }}"
    to: gs://my-bucket/raw/orders.csv
    contentType: text/csv`,
    },
    {
      title: 'The course-notes form: `bucket` plus a relative `to`',
      code: `- id: upload_to_storage
  type: io.kestra.plugin.gcp.storage.Upload
  projectId: "{{ kv('gcp_project_id') }}"
  bucket: "{{ kv('gcp_bucket_name') }}"
  from: "/local/data/taxi_trips.csv"
  to: "raw/taxi_trips/data.csv"`,
    },
  ],
  check(props, report) {
    const { bucket, to } = props;
    if (given(bucket)) {
      // A warning, not an error: `bucket` often comes from pluginDefaults for every GCP task
      // (the DataTalksClub flows), where the task cannot remove it.
      if (startsWithPrefix(to, 'gs://') === 'yes') {
        report(
          ['bucket'],
          `\`to\` is already a full \`gs://\` URI, so \`bucket\` is not used (remove it, or make \`to\` a path inside the bucket)`,
          { atKey: true, severity: 'warning' },
        );
      }
      return;
    }
    if (typeof to === 'string' && startsWithPrefix(to, 'gs://') === 'no') {
      report(
        ['to'],
        `\`to\` must be a \`gs://bucket/path\` URI, got \`${shown(to)}\` (or give \`bucket\`, the course-notes form, with \`to\` a path inside it)`,
      );
    }
  },
  normalize(props) {
    const { bucket, ...rest } = props;
    if (given(bucket) && (typeof bucket === 'string' || typeof bucket === 'number')) {
      const to = rest.to;
      // A `to` that is one whole expression may render to a full URI (the DataTalksClub flows
      // give `bucket` to every GCP task through pluginDefaults and write
      // `to: "{{ render(vars.gcs_file) }}"`): the run decides, with `bucket` kept.
      if (typeof to === 'string' && WHOLE_EXPRESSION.test(to)) return props;
      if (typeof to === 'string' && startsWithPrefix(to, 'gs://') !== 'yes') {
        rest.to = `gs://${bucketName(String(bucket))}/${to.replace(/^\/+/, '')}`;
      }
    }
    return rest;
  },
  run: async (ctx, props) => (await import('./run/tasks.js')).runUpload(ctx, props),
});
