/** Segments and embeds documents into a store: the work of IngestDocument. */
import type { ModelClient, TokenUsage } from '../providers/types.js';
import type { EmbeddingStore, TextSegment } from '../embeddings/store.js';
import { splitDocument } from './splitter.js';
import type { SplitterOptions } from './splitter.js';

/** Splits each document (when a splitter is given; else one segment per document, as langchain4j). */
export function segmentsOf(
  documents: readonly TextSegment[],
  splitter: SplitterOptions | undefined,
): TextSegment[] {
  if (!splitter) return documents.filter((d) => d.text.trim().length > 0);
  return documents.flatMap((document) =>
    splitDocument(document.text, splitter).map((text, index) => ({
      text,
      metadata: { ...document.metadata, index: String(index) },
    })),
  );
}

/** Embeds the segments and adds them to the store; returns the token usage. */
export async function embedInto(
  client: ModelClient,
  store: EmbeddingStore,
  segments: readonly TextSegment[],
): Promise<TokenUsage | undefined> {
  if (segments.length === 0) return undefined;
  const { vectors, tokenUsage } = await client.embed(segments.map((s) => s.text));
  store.add(segments, vectors);
  return tokenUsage;
}
