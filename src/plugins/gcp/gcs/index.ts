/** The Cloud Storage task and trigger types (`io.kestra.plugin.gcp.gcs.*`). */
import type { PluginDefinition } from '../../api.js';
import GcsUpload from './Upload.js';
import GcsDownload from './Download.js';
import GcsCopy from './Copy.js';
import GcsCreateBucket from './CreateBucket.js';
import GcsList from './List.js';
import GcsDelete from './Delete.js';

export const GCS_PLUGINS: readonly PluginDefinition[] = [GcsUpload, GcsDownload, GcsCopy, GcsCreateBucket, GcsList, GcsDelete];
