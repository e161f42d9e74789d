import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Styles text for a terminal; plain when the stream is not one (pipes, files, CI logs). */
export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  return stream.isTTY && !process.env.NO_COLOR ? styleText(style, text) : text;
}

/** Writes a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a line to stderr. */
export function err(line = ''): void {
  process.stderr.write(`${line}\n`);
}

let closedPipeHandled = false;

/**
 * Ends the process quietly, with status 0, when the reader of its output goes away
 * (`windhover executions list | head`, a pager that quits): a write then fails with `EPIPE`,
 * which would otherwise crash with a stack trace. Other write errors still surface.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (closedPipeHandled) return;
  closedPipeHandled = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
}
