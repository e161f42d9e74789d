/**
 * CRC32C (Castagnoli), as Cloud Storage reports it in `crc32c` and `x-goog-hash` (big-endian,
 * base64). Slicing-by-16 over 32-bit words: every uploaded byte goes through this, and the
 * official client's byte-at-a-time version runs at about a tenth of the speed.
 */
import { endianness } from 'node:os';

const POLYNOMIAL = 0x82f63b78;
const SLICES = 16;

/** SLICES tables of 256 entries, one after the other: table t at offset t * 256. */
const TABLE: Int32Array = (() => {
  const table = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    table[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = table[n]!;
    for (let t = 1; t < SLICES; t++) {
      c = table[c & 0xff]! ^ (c >>> 8);
      table[t * 256 + n] = c;
    }
  }
  return table;
})();

/** Word reads assume the machine's byte order is little-endian (x86, ARM); else bytes only. */
const WORDS = endianness() === 'LE';

function updateBytes(crc: number, data: Uint8Array, from: number, to: number): number {
  const t = TABLE;
  for (let i = from; i < to; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/** An incremental CRC32C over a stream of buffers. */
export class Crc32c {
  /** The running register (inverted CRC), as a signed 32-bit integer. */
  private crc = -1;

  /** Adds bytes to the checksum. */
  update(data: Uint8Array): this {
    const t = TABLE;
    const length = data.length;
    let crc = this.crc;
    let i = 0;
    if (WORDS) {
      const head = Math.min(length, (4 - (data.byteOffset & 3)) & 3);
      crc = updateBytes(crc, data, 0, head);
      i = head;
      const blocks = Math.floor((length - i) / 16);
      if (blocks > 0) {
        const words = new Int32Array(data.buffer, data.byteOffset + i, blocks * 4);
        for (let k = 0; k < words.length; k += 4) {
          const a = words[k]! ^ crc;
          const b = words[k + 1]!;
          const c = words[k + 2]!;
          const d = words[k + 3]!;
          crc =
            t[3840 + (a & 0xff)]! ^
            t[3584 + ((a >>> 8) & 0xff)]! ^
            t[3328 + ((a >>> 16) & 0xff)]! ^
            t[3072 + (a >>> 24)]! ^
            t[2816 + (b & 0xff)]! ^
            t[2560 + ((b >>> 8) & 0xff)]! ^
            t[2304 + ((b >>> 16) & 0xff)]! ^
            t[2048 + (b >>> 24)]! ^
            t[1792 + (c & 0xff)]! ^
            t[1536 + ((c >>> 8) & 0xff)]! ^
            t[1280 + ((c >>> 16) & 0xff)]! ^
            t[1024 + (c >>> 24)]! ^
            t[768 + (d & 0xff)]! ^
            t[512 + ((d >>> 8) & 0xff)]! ^
            t[256 + ((d >>> 16) & 0xff)]! ^
            t[d >>> 24]!;
        }
        i += blocks * 16;
      }
    }
    this.crc = updateBytes(crc, data, i, length);
    return this;
  }

  /** The checksum as an unsigned 32-bit number. */
  value(): number {
    return ~this.crc >>> 0;
  }

  /** The checksum as Cloud Storage writes it: 4 big-endian bytes, base64. */
  base64(): string {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.value());
    return bytes.toString('base64');
  }
}
