/** Saving a fetched response as a file (the API needs credentials headers, so a plain link cannot). */

/** Saves a response's body under `fileName` through a temporary object URL. */
export async function downloadResponse(response: Response, fileName: string): Promise<void> {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name at the end of a `kestra://` URI. */
export function fileNameOf(uri: string): string {
  const name = uri.split('/').pop() ?? 'file';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
