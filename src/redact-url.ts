/** URLs in messages and logs: a store or storage URL may carry a password, never shown. */

/** The URL with any password replaced by `***` (any scheme; text that is no URL is returned as is). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
