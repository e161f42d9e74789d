import { defineTask, p } from '../../api.js';
import { IF_EXISTS, gcpProps } from '../common.js';

export default defineTask({
  type: 'io.kestra.plugin.gcp.gcs.CreateBucket',
  aliases: ['io.kestra.plugin.gcp.storage.CreateBucket'],
  title: 'Create a Cloud Storage bucket',
  description: 'Creates a bucket; `ifExists` says what to do when it already exists (fail by default).',
  properties: {
    ...gcpProps(),
    name: p.string().required().describe('The bucket name, unique across Cloud Storage.'),
    ifExists: p
      .enum(IF_EXISTS)
      .default('ERROR')
      .describe('When the bucket exists: `ERROR` fail, `UPDATE` apply these settings, `SKIP` leave it.'),
    location: p
      .string()
      .describe('Where the data lives: a region (`us-central1`), dual- or multi-region (`EU`).'),
    storageClass: p
      .enum([
        'STANDARD',
        'NEARLINE',
        'COLDLINE',
        'ARCHIVE',
        'REGIONAL',
        'MULTI_REGIONAL',
        'DURABLE_REDUCED_AVAILABILITY',
      ])
      .describe('The default storage class of objects.'),
    labels: p.map(p.string()).describe('Labels of the bucket, key → value.'),
    versioningEnabled: p.boolean().describe('Keep old versions of overwritten and deleted objects.'),
    requesterPays: p.boolean().describe('Make requesters pay for the access and transfer costs.'),
    indexPage: p.string().describe('The website index page, served for directory paths.'),
    notFoundPage: p.string().describe('The website page served when an object is missing.'),
    lifecycleRules: p
      .list(p.map(p.any()))
      .describe(
        'Lifecycle rules, each `{condition: {age: <days>}, action: {type: DELETE | SET_STORAGE_CLASS, value?}}`.',
      ),
    cors: p
      .list(p.map(p.any()))
      .describe('CORS rules: `{origins, methods, responseHeaders, maxAgeSeconds}`.'),
    acl: p
      .list(p.map(p.any()))
      .describe('Access control entries `{entity: {type, value}, role}` of the bucket.'),
    defaultAcl: p.list(p.map(p.any())).describe('Access control entries applied to new objects.'),
    defaultKmsKeyName: p.string().describe('The Cloud KMS key that encrypts new objects.'),
    defaultEventBasedHold: p.boolean().describe('Put new objects under an event-based hold.'),
    retentionPeriod: p.integer({ min: 0 }).describe('Minimum time objects are kept, in seconds.'),
    iamConfiguration: p
      .map(p.any())
      .describe(
        'IAM settings, e.g. `{uniformBucketLevelAccessEnabled: true, publicAccessPrevention: ENFORCED}`.',
      ),
    logging: p.map(p.any()).describe('Access logging: `{logBucket, logObjectPrefix}`.'),
  },
  outputs: {
    bucket: { type: 'object', description: "The bucket's settings as created or found." },
    bucketUri: { type: 'string', description: 'The `gs://` URI of the bucket.' },
    created: { type: 'boolean', description: 'Whether the bucket was created.' },
    updated: { type: 'boolean', description: 'Whether an existing bucket was updated.' },
  },
  examples: [
    {
      title: 'Create a bucket unless it exists',
      code: `- id: create_bucket
  type: io.kestra.plugin.gcp.gcs.CreateBucket
  projectId: my-project
  name: my-data-bucket
  location: EU
  versioningEnabled: true
  ifExists: SKIP
  labels:
    team: data`,
    },
  ],
  run: async (ctx, props) => (await import('./run/buckets.js')).runCreateBucket(ctx, props),
});
