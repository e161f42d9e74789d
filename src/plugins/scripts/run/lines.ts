/**
 * Splits a process's output into lines as it arrives, without keeping more than the line
 * being read: a script printing millions of lines keeps memory flat.
 */
import { StringDecoder } from 'node:string_decoder';

/** Longer lines are passed on in pieces of this many characters (a runaway line cannot grow memory). */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

/** Feeds chunks in, calls `onLine` for each complete line (without `\n` or `\r\n`). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxChars = MAX_LINE_CHARS,
  ) {}

  /** Takes the next chunk of output. */
  write(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      this.emit(text.slice(start, end));
      start = end + 1;
    }
    this.pending = start === 0 ? text : text.slice(start);
    while (this.pending.length > this.maxChars) {
      this.onLine(this.pending.slice(0, this.maxChars));
      this.pending = this.pending.slice(this.maxChars);
    }
  }

  /** The output ended: passes on a last line that had no newline. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
