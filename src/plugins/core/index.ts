/** The core plugins (`io.kestra.plugin.core.*`): tasks, flowables, triggers, conditions, runners. */
import type { PluginDefinition } from '../api.js';
import Log from './log/Log.js';
import LogFetch from './log/Fetch.js';
import Return from './debug/Return.js';
import Sequential from './flow/Sequential.js';
import If from './flow/If.js';
import Parallel from './flow/Parallel.js';
import Switch from './flow/Switch.js';
import ForEach from './flow/ForEach.js';
import Loop from './flow/Loop.js';
import ForEachItem from './flow/ForEachItem.js';
import Dag from './flow/Dag.js';
import Subflow from './flow/Subflow.js';
import Pause from './flow/Pause.js';
import Sleep from './flow/Sleep.js';
import WorkingDirectory from './flow/WorkingDirectory.js';
import AllowFailure from './flow/AllowFailure.js';
import LoopUntil from './flow/LoopUntil.js';
import EachSequential from './flow/EachSequential.js';
import EachParallel from './flow/EachParallel.js';
import Echo from './debug/Echo.js';
import LocalFiles from './storage/LocalFiles.js';
import StateGet from './state/Get.js';
import StateSet from './state/Set.js';
import StateDelete from './state/Delete.js';
import OutputValues from './output/OutputValues.js';
import Labels from './execution/Labels.js';
import Fail from './execution/Fail.js';
import Exit from './execution/Exit.js';
import Resume from './execution/Resume.js';
import KvSet from './kv/Set.js';
import KvGet from './kv/Get.js';
import KvDelete from './kv/Delete.js';
import KvGetKeys from './kv/GetKeys.js';
import Request from './http/Request.js';
import Download from './http/Download.js';
import Concat from './storage/Concat.js';
import Split from './storage/Split.js';
import StorageDelete from './storage/Delete.js';
import Size from './storage/Size.js';
import Write from './storage/Write.js';
import FilterItems from './storage/FilterItems.js';
import DeduplicateItems from './storage/DeduplicateItems.js';
import PurgeCurrentExecutionFiles from './storage/PurgeCurrentExecutionFiles.js';
import UploadFiles from './namespace/UploadFiles.js';
import DownloadFiles from './namespace/DownloadFiles.js';
import DeleteFiles from './namespace/DeleteFiles.js';

export const CORE_PLUGINS: readonly PluginDefinition[] = [
  Log,
  LogFetch,
  Return,
  // flow
  Sequential,
  If,
  Parallel,
  Switch,
  ForEach,
  Loop,
  ForEachItem,
  Dag,
  Subflow,
  Pause,
  Sleep,
  WorkingDirectory,
  AllowFailure,
  LoopUntil,
  // deprecated by Kestra, run as their replacements
  EachSequential,
  EachParallel,
  Echo,
  LocalFiles,
  StateGet,
  StateSet,
  StateDelete,
  // output, execution
  OutputValues,
  Labels,
  Fail,
  Exit,
  Resume,
  // kv
  KvSet,
  KvGet,
  KvDelete,
  KvGetKeys,
  // http
  Request,
  Download,
  // storage
  Concat,
  Split,
  StorageDelete,
  Size,
  Write,
  FilterItems,
  DeduplicateItems,
  PurgeCurrentExecutionFiles,
  // namespace files
  UploadFiles,
  DownloadFiles,
  DeleteFiles,
];
