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
