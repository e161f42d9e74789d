/** The AI plugins (`io.kestra.plugin.ai.*`): chat completion and RAG over providers' REST APIs. */
import type { PluginDefinition } from '../api.js';
import ChatCompletion from './completion/ChatCompletion.js';
import IngestDocument from './rag/IngestDocument.js';
import RagChatCompletion from './rag/ChatCompletion.js';

export const AI_PLUGINS: readonly PluginDefinition[] = [ChatCompletion, IngestDocument, RagChatCompletion];
