/**
 * The slice of Node's `Buffer` that the expression engine (src/expr) uses, for the browser: the
 * outputs debugger bundles the engine, and Vite maps `node:buffer` here (ui/vite.config.ts).
 */
type Encoding = 'utf8' | 'base64' | 'hex';

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

function fromBase64(text: string): Uint8Array {
  // Node ignores what is not base64 (and missing padding); atob does not.
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const padded = clean + '='.repeat((4 - (clean.length % 4)) % 4);
  const binary = atob(padded.length % 4 === 1 ? padded.slice(0, -1) : padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Bytes with Node's `toString(encoding)`, `copy` and `writeUInt32BE`. */
export class Bytes extends Uint8Array {
  override toString(encoding: Encoding = 'utf8'): string {
    if (encoding === 'hex') return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') return btoa(Array.from(this, (b) => String.fromCharCode(b)).join(''));
    return UTF8_DECODER.decode(this);
  }

  copy(target: Uint8Array, targetStart = 0): number {
    target.set(this, targetStart);
    return this.length;
  }

  writeUInt32BE(value: number, offset: number): number {
    new DataView(this.buffer, this.byteOffset, this.byteLength).setUint32(offset, value, false);
    return offset + 4;
  }
}

/** `Buffer.from` and `Buffer.alloc`, making Bytes. */
export const Buffer = {
  from(source: string | ArrayLike<number>, encoding: Encoding = 'utf8'): Bytes {
    if (typeof source !== 'string') return new Bytes(Array.from(source));
    const bytes = encoding === 'base64' ? fromBase64(source) : UTF8_ENCODER.encode(source);
    const out = new Bytes(bytes.length);
    out.set(bytes);
    return out;
  },
  alloc(size: number): Bytes {
    return new Bytes(size);
  },
};
