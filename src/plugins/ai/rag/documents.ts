/**
 * The documents IngestDocument reads, as text with metadata: from URLs (`fromExternalURLs`,
 * metadata `url`), a folder or file of the working directory (`fromPath`, metadata `file_name`
 * and `absolute_directory_path`), internal-storage files (`fromInternalURIs`) and inline
 * documents (`fromDocuments`), as langchain4j's loaders give them.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, basename, join, relative, resolve, isAbsolute } from 'node:path';
import { TaskFailure, isRecord, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { checkHttpUrl, displayUrl, sendHttp } from '../../shared/http-client.js';
import type { HttpCall } from '../../shared/http-client.js';
import { describeHttpError } from '../../shared/http-errors.js';
import { readBodyText, responseFailure } from '../../shared/http-response.js';
import type { TextSegment } from '../embeddings/store.js';

/** The largest document read (a text document; larger is a mistake, or not text). */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** Every document the rendered properties name, in Kestra's order (path, inline, internal, URLs). */
export async function loadDocuments(
  ctx: TaskContext,
  props: Record<string, unknown>,
): Promise<TextSegment[]> {
  const documents: TextSegment[] = [];
  if (props.fromPath != null) documents.push(...(await fromPath(ctx, toText(props.fromPath))));
  for (const [i, item] of (Array.isArray(props.fromDocuments) ? props.fromDocuments : []).entries()) {
    if (!isRecord(item) || item.content == null)
      throw new TaskFailure(`Property \`fromDocuments[${i}].content\` is required`);
    documents.push({
      text: toText(item.content),
      metadata: isRecord(item.metadata) ? { ...item.metadata } : {},
    });
  }
  for (const uri of Array.isArray(props.fromInternalURIs) ? props.fromInternalURIs : [])
    documents.push({ text: (await ctx.storage.readBuffer(toText(uri))).toString('utf8'), metadata: {} });
  for (const [i, url] of (Array.isArray(props.fromExternalURLs) ? props.fromExternalURLs : []).entries())
    documents.push({
      text: await fetchText(ctx, toText(url), `fromExternalURLs[${i}]`),
      metadata: { url: toText(url) },
    });
  if (isRecord(props.metadata))
    for (const document of documents)
      for (const [key, value] of Object.entries(props.metadata)) document.metadata[key] = toText(value);
  return documents;
}

async function fetchText(ctx: TaskContext, url: string, property: string): Promise<string> {
  checkHttpUrl(url, property);
  const label = `GET ${displayUrl(url)}`;
  const call: HttpCall = {
    url,
    method: 'GET',
    headers: { 'User-Agent': 'Windhover' },
    timeouts: {
      connect: { ms: 10_000, source: 'the default 10 s' },
      readIdle: { ms: 120_000, source: 'the default 120 s' },
    },
    followRedirects: true,
    signal: ctx.signal,
    label,
  };
  const { response, close } = await sendHttp(call);
  try {
    if (response.code < 200 || response.code > 299)
      throw await responseFailure(label, response, `check \`${property}\``);
    const text = await readBodyText(
      response.body,
      MAX_DOCUMENT_BYTES,
      () => new TaskFailure(`${label}: the document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`),
    );
    ctx.logger.info(`Read ${label} (${text?.length ?? 0} characters)`);
    return text ?? '';
  } catch (error) {
    throw describeHttpError(error, call);
  } finally {
    await close();
  }
}

/** The files under a path of the working directory (recursively), never outside it. */
async function fromPath(ctx: TaskContext, path: string): Promise<TextSegment[]> {
  const root = await ctx.workingDirectory();
  const target = resolve(root, path);
  const inside = relative(root, target);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new TaskFailure(`Property \`fromPath\`: \`${path}\` is outside the task's working directory`);
  const info = await stat(target).catch(() => undefined);
  if (!info)
    throw new TaskFailure(`Property \`fromPath\`: \`${path}\` does not exist in the working directory`);
  const files = info.isDirectory() ? await filesUnder(target) : [target];
  const documents: TextSegment[] = [];
  for (const file of files)
    documents.push({
      text: await readFile(file, 'utf8'),
      metadata: { file_name: basename(file), absolute_directory_path: dirname(file) },
    });
  return documents;
}

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
