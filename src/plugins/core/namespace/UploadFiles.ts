import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { defineTask, isRecord, p, TaskFailure, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { existingFile } from '../../shared/items-io.js';
import { taskName } from '../task-props.js';
import { localFiles, namespaceOf, namespacePath, pathMatcher } from './paths.js';

/** One file to upload: where it goes in the namespace, and how to read it. */
interface Upload {
  path: string;
  open: () => Promise<Readable>;
}

/** The uploads `files` (a list of URIs and patterns, or the older map form) and `filesMap` ask for. */
async function plannedUploads(ctx: TaskContext, props: Record<string, unknown>): Promise<Upload[]> {
  const uploads: Upload[] = [];
  const fromUri = async (uri: unknown, target: string, property: string) => {
    const checked = await existingFile(ctx, uri, property);
    uploads.push({ path: target, open: () => ctx.storage.readStream(checked) });
  };
  const destination = toText(props.destination ?? '/');
  if (Array.isArray(props.files)) {
    const patterns: string[] = [];
    for (const [index, entry] of props.files.entries()) {
      const text = toText(entry).trim();
      if (!text.startsWith('kestra://')) {
        patterns.push(text);
        continue;
      }
      const name = decodeURIComponent(text.slice(text.lastIndexOf('/') + 1));
      await fromUri(text, namespacePath([destination, name], 'Property `destination`'), `files[${index}]`);
    }
    if (patterns.length > 0) {
      // Other entries are patterns over the working directory (files of a WorkingDirectory).
      const dir = await ctx.workingDirectory();
      const matches = pathMatcher(patterns, 'files');
      const found = (await localFiles(dir)).filter((rel) => matches(`/${rel}`));
      if (found.length === 0)
        ctx.logger.warn(
          `No file of the working directory matches ${patterns.map((p) => `\`${p}\``).join(', ')}; \`files\` patterns pick files written by earlier tasks of a WorkingDirectory`,
        );
      for (const rel of found) {
        uploads.push({
          path: namespacePath([destination, rel], 'Property `destination`'),
          open: () => Promise.resolve(createReadStream(join(dir, rel))),
        });
      }
    }
  }
  for (const property of ['files', 'filesMap'] as const) {
    const map = props[property];
    if (!isRecord(map)) continue;
    for (const [target, uri] of Object.entries(map))
      await fromUri(uri, namespacePath([target], `Property \`${property}\` key`), `${property}.${target}`);
  }
  return uploads;
}

export default defineTask({
  type: 'io.kestra.plugin.core.namespace.UploadFiles',
  title: 'Upload files as namespace files',
  description:
    'Stores files as namespace files: `files` picks files of the working directory by glob pattern (or `kestra://` URIs) and puts them under `destination`; `filesMap` maps a namespace path to a `kestra://` URI, so files can be renamed or moved.',
  properties: {
    namespace: p.string().required().describe('The namespace to upload to.'),
    files: p
      .union(p.list(p.string()), p.map(p.string(), { dynamic: false }))
      .describe(
        'Glob patterns (`glob:**/dbt/**`) or `kestra://` URIs of the files to upload. A map `path: uri` is the older form of `filesMap`.',
      ),
    filesMap: p
      .map(p.string())
      .describe(
        'Namespace path → `kestra://` URI, or an expression giving such a map (e.g. the files output of a task).',
      ),
    destination: p.string().default('/').describe('Folder the `files` are put in.'),
    conflict: p
      .enum(['OVERWRITE', 'ERROR', 'SKIP'])
      .default('OVERWRITE')
      .describe('What to do when a file already exists: replace it, fail, or keep the old one.'),
  },
  outputs: {
    files: { type: 'object', description: 'The uploaded files: namespace path → URI.' },
  },
  check(props, report) {
    const given = (key: string) => props[key] !== undefined && props[key] !== null;
    if (!given('files') && !given('filesMap')) {
      report([], `${taskName(props)} has nothing to upload: give \`files\` or \`filesMap\``);
    }
  },
  async run(ctx, props) {
    const namespace = namespaceOf(props.namespace);
    const conflict = toText(props.conflict ?? 'OVERWRITE');
    const uploads = await plannedUploads(ctx, props);
    const files: Record<string, string> = {};
    for (const upload of uploads) {
      ctx.signal.throwIfAborted();
      const uri = ctx.namespaceFiles.uri(upload.path, namespace);
      if (conflict !== 'OVERWRITE' && (await ctx.storage.exists(uri))) {
        if (conflict === 'ERROR')
          throw new TaskFailure(
            `The namespace file \`/${upload.path}\` already exists in \`${namespace}\` and \`conflict\` is ERROR: use OVERWRITE to replace it or SKIP to keep it`,
          );
        ctx.logger.info(`Kept the existing /${upload.path} (conflict: SKIP)`);
        continue;
      }
      files[`/${upload.path}`] = await ctx.namespaceFiles.write(upload.path, await upload.open(), namespace);
    }
    ctx.logger.info(`Uploaded ${Object.keys(files).length} file(s) to namespace \`${namespace}\``);
    return { outputs: { files } };
  },
  examples: [
    {
      title: 'Upload an input file under a chosen name',
      code: `id: upload_example
namespace: company.team
inputs:
  - id: script
    type: FILE
tasks:
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: "{{ flow.namespace }}"
    filesMap:
      /scripts/main.py: "{{ inputs.script }}"
    conflict: OVERWRITE`,
    },
    {
      title: 'Upload a folder of the working directory',
      code: `- id: upload_dbt
  type: io.kestra.plugin.core.namespace.UploadFiles
  namespace: company.team
  files:
    - "glob:**/dbt/**"
  destination: /dbt`,
    },
  ],
});
