/** The Cloud Storage task and trigger types (`io.kestra.plugin.gcp.gcs.*`). */
import type { PluginDefinition } from '../../api.js';
import GcsUpload from './Upload.js';
import GcsDownload from './Download.js';
import GcsDownloads from './Downloads.js';
import GcsCopy from './Copy.js';
import GcsCreateBucket from './CreateBucket.js';
import GcsDeleteBucket from './DeleteBucket.js';
import GcsList from './List.js';
import GcsDelete from './Delete.js';
import GcsDeleteList from './DeleteList.js';
import GcsTrigger from './Trigger.js';

export const GCS_PLUGINS: readonly PluginDefinition[] = [
  GcsUpload,
  GcsDownload,
  GcsDownloads,
  GcsCopy,
  GcsCreateBucket,
  GcsDeleteBucket,
  GcsList,
  GcsDelete,
  GcsDeleteList,
  GcsTrigger,
];
