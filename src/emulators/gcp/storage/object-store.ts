/**
 * The emulator's Cloud Storage as its other parts see it: the BigQuery emulator reads objects for
 * `gs://` URIs (external tables, load jobs) and writes them (extract jobs) through this contract,
 * never through the files on disk directly. The storage emulator (storage/*.ts) implements it.
 */

/** One object, as stored: its current generation and the local file holding its bytes. */
export interface StoredObject {
  bucket: string;
  name: string;
  /** Increases with each write of the name (as text, as the JSON API writes it). */
  generation: string;
  size: number;
  contentType?: string;
  contentEncoding?: string;
  /** The local file of the bytes; read-only for callers. */
  path: string;
}

/** What the BigQuery emulator needs of Cloud Storage. */
export interface ObjectStore {
  /**
   * The objects `gs://bucket/name` URIs name, in name order; a URI may hold one `*` wildcard
   * (any characters, `/` included, as BigQuery reads it). An unknown bucket or a URI that matches
   * nothing gives an empty list for that URI.
   */
  matchUris(uris: readonly string[]): StoredObject[];
  /** Whether the bucket exists. */
  hasBucket(bucket: string): boolean;
  /**
   * Stores a local file as a new generation of `bucket/name`, moving it into place (the caller's
   * file is gone afterwards; it must be on the same file system as the store's data folder, so
   * write it under `tempDir()`). Throws when the bucket does not exist.
   */
  putFile(
    bucket: string,
    name: string,
    file: string,
    metadata?: { contentType?: string },
  ): Promise<StoredObject>;
  /** A folder on the store's file system for files about to be put. */
  tempDir(): string;
}
