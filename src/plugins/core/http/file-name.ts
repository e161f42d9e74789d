/** The name `http.Download` stores a file under: `saveAs`, the server's name for it, or the URL's. */

/** The stored name: `saveAs`, else the `Content-Disposition` filename, else the URL's last path segment, else `download`. */
export function downloadFileName(
  saveAs: string | undefined,
  contentDisposition: string | undefined,
  url: string,
): string {
  return (
    safeName(saveAs) ??
    safeName(contentDisposition ? dispositionFileName(contentDisposition) : undefined) ??
    safeName(lastSegment(url)) ??
    'download'
  );
}

/**
 * The filename of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987) wins over
 * `filename="…"`.
 */
export function dispositionFileName(header: string): string | undefined {
  let plain: string | undefined;
  let extended: string | undefined;
  for (const part of splitParams(header)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === 'filename*') {
      const match = /^[^']*'[^']*'(.*)$/.exec(unquote(value));
      extended = decode(match ? match[1]! : unquote(value));
    } else if (key === 'filename') plain = unquote(value);
  }
  return extended ?? plain;
}

/** Splits on `;` outside double quotes. */
function splitParams(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (c === '"' && header[i - 1] !== '\\') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

function lastSegment(url: string): string | undefined {
  try {
    const segments = new URL(url).pathname.split('/');
    return decode(segments[segments.length - 1] ?? '');
  } catch {
    return undefined;
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A name safe to store: only its last path part (a server must not choose where the file goes),
 * without control characters, at most 200 characters.
 */
function safeName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const base = (name.split(/[/\\]/).pop() ?? '')
    .replace(/[\p{Cc}]/gu, '')
    .trim()
    .slice(-200);
  return base === '' || base === '.' || base === '..' ? undefined : base;
}
