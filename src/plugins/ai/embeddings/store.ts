/**
 * The `embeddings` property of the RAG tasks and the stores behind it. Windhover has Kestra's
 * KestraKVStore: every segment with its vector kept as one JSON value in the namespace's KV store
 * (`{{ flow.id }}-embedding-store` by default), loaded whole and searched by cosine similarity,
 * for small document sets as in Kestra. The JSON follows langchain4j's InMemoryEmbeddingStore
 * (`{entries: [{id, embedding: {vector}, embedded: {text, metadata}}]}`).
 */
import { randomUUID } from 'node:crypto';
import { TaskFailure, isRecord, p, toText } from '../../api.js';
import type { Prop, TaskContext } from '../../api.js';

const KV_STORE_TYPES = [
  'io.kestra.plugin.ai.embeddings.KestraKVStore',
  'io.kestra.plugin.langchain4j.embeddings.KestraKVStore',
] as const;

/** The embedding store property. */
export function embeddingStoreProp(): Prop {
  const shape = (type: string): Record<string, Prop> => ({
    type: p.enum([type], { dynamic: false }).required(),
    kvName: p
      .string()
      .default('{{ flow.id }}-embedding-store')
      .describe("The KV key the store is kept under, in the flow's namespace."),
  });
  return p
    .variant('type', Object.fromEntries(KV_STORE_TYPES.map((type) => [type, shape(type)])))
    .describe(
      "Where the embeddings are kept: `io.kestra.plugin.ai.embeddings.KestraKVStore` (the namespace's KV store, for prototypes: it is loaded whole into memory). PGVector and the other stores of Kestra's plugin are not supported yet.",
    );
}

/** A segment of a document with its metadata. */
export interface TextSegment {
  text: string;
  metadata: Record<string, unknown>;
}

export interface StoreMatch extends TextSegment {
  /** langchain4j's relevance score: (cosine similarity + 1) / 2, in 0–1. */
  score: number;
}

interface StoredEntry {
  id: string;
  embedding: { vector: number[] };
  embedded: TextSegment;
}

/** An open embedding store. */
export interface EmbeddingStore {
  /** How messages name it (`the embedding store \`x\``). */
  readonly label: string;
  readonly size: number;
  add(segments: readonly TextSegment[], vectors: readonly number[][]): void;
  search(vector: readonly number[], maxResults: number, minScore: number): StoreMatch[];
  /** Persists what was added; returns the task's `embeddingStoreOutputs`. */
  save(): Promise<Record<string, unknown>>;
}

/** Opens the store a rendered `embeddings` property names; `drop` starts it empty. */
export async function openEmbeddingStore(
  ctx: TaskContext,
  value: unknown,
  property: string,
  drop: boolean,
): Promise<EmbeddingStore> {
  if (!isRecord(value)) throw new TaskFailure(`Property \`${property}\` is required`);
  const type = toText(value.type ?? '');
  if (!(KV_STORE_TYPES as readonly string[]).includes(type))
    throw new TaskFailure(`Property \`${property}.type\`: unknown embedding store \`${type}\``);
  const key = value.kvName != null ? toText(value.kvName) : `${ctx.run.flowId}-embedding-store`;
  const entries = drop ? [] : await readEntries(ctx, key);
  const label = `The embedding store \`${key}\``;
  return {
    label,
    get size() {
      return entries.length;
    },
    add(segments, vectors) {
      segments.forEach((segment, i) => {
        const vector = vectors[i]!;
        checkDimensions(label, entries, vector);
        entries.push({ id: randomUUID(), embedding: { vector: [...vector] }, embedded: segment });
      });
    },
    search(vector, maxResults, minScore) {
      checkDimensions(label, entries, vector);
      return entries
        .map((entry) => ({ ...entry.embedded, score: (cosine(entry.embedding.vector, vector) + 1) / 2 }))
        .filter((match) => match.score >= minScore)
        .sort((a, b) => b.score - a.score)
        .slice(0, maxResults);
    },
    async save() {
      await ctx.kv.set(key, JSON.stringify({ entries }), { type: 'STRING' });
      return { kvName: key };
    },
  };
}

async function readEntries(ctx: TaskContext, key: string): Promise<StoredEntry[]> {
  const stored = await ctx.kv.get(key);
  if (!stored) return [];
  let parsed: unknown = stored.value;
  try {
    if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  } catch {
    throw new TaskFailure(
      `The KV entry \`${key}\` is not an embedding store (not JSON); use another kvName or drop: true`,
    );
  }
  const list = isRecord(parsed) && Array.isArray(parsed.entries) ? parsed.entries : undefined;
  if (!list)
    throw new TaskFailure(
      `The KV entry \`${key}\` is not an embedding store (no entries); use another kvName or drop: true`,
    );
  return list.filter(isRecord).map((entry): StoredEntry => {
    const vector =
      isRecord(entry.embedding) && Array.isArray(entry.embedding.vector) ? entry.embedding.vector : [];
    const embedded = isRecord(entry.embedded) ? entry.embedded : {};
    return {
      id: typeof entry.id === 'string' ? entry.id : randomUUID(),
      embedding: { vector: vector.map(Number) },
      embedded: {
        text: typeof embedded.text === 'string' ? embedded.text : '',
        metadata: isRecord(embedded.metadata) ? embedded.metadata : {},
      },
    };
  });
}

function checkDimensions(label: string, entries: readonly StoredEntry[], vector: readonly number[]): void {
  const expected = entries[0]?.embedding.vector.length;
  if (expected !== undefined && expected !== vector.length)
    throw new TaskFailure(
      `${label} holds ${expected}-dimension embeddings but the embedding model gives ${vector.length}: use the same embedding model to ingest and to search, or re-ingest with drop: true`,
    );
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
