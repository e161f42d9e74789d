import { ProblemCodes } from '../errors.js';
import type { Problem } from './problems.js';

/** Checks done on the raw text of a flow file before any YAML parser sees it. */

const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/; // eslint-disable-line no-control-regex

/** No flow nests brackets this deep; the YAML parser would exhaust memory on millions. */
export const MAX_BRACKET_DEPTH = 500;

/**
 * The most text a flow sent to the server, or a YAML input, may hold: reading takes up to
 * about a second per MiB when the text has a mistake to locate, during which the server answers
 * nothing else. Flows are kilobytes; this bounds a mistake or an attack, far above any real
 * flow. (Flow files read by the CLI have no such bound.)
 */
export const MAX_YAML_TEXT_LENGTH = 2 * 1024 * 1024;

/**
 * Decodes the bytes of a flow file and refuses what is not YAML text: invalid UTF-8, control
 * characters (a binary file), brackets nested absurdly deep. Strips a byte-order mark.
 */
export function readFlowText(
  input: string | Uint8Array,
  file?: string,
): { text: string } | { problem: Problem } {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const lenient = new TextDecoder('utf-8').decode(input);
      return {
        problem: textProblem(
          file,
          lenient,
          Math.max(0, lenient.indexOf('\uFFFD')),
          'not a YAML text file: invalid UTF-8',
        ),
      };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    // YAML forbids raw control characters anywhere; they almost always mean a binary file.
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      problem: textProblem(file, text, control.index, `not a YAML text file: control character U+${code}`),
    };
  }
  const nesting = bracketNestingOffset(text);
  if (nesting !== undefined) {
    return {
      problem: textProblem(
        file,
        text,
        nesting,
        `brackets are nested more than ${MAX_BRACKET_DEPTH} levels deep`,
        ProblemCodes.TOO_COMPLEX,
      ),
    };
  }
  return { text };
}

/**
 * The offset where `[`/`{` nesting passes MAX_BRACKET_DEPTH, or undefined. A coarse scan that
 * ignores quoting: it only has to tell real flows from pathological input before parsing.
 */
export function bracketNestingOffset(text: string): number | undefined {
  const brackets = /[[\]{}]/g;
  let depth = 0;
  for (let match = brackets.exec(text); match; match = brackets.exec(text)) {
    const c = match[0];
    if (c === '[' || c === '{') {
      if (++depth > MAX_BRACKET_DEPTH) return match.index;
    } else if (depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** 1-based line and column of an offset. */
export function linePosOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** A problem of the file as a whole, at a line and column. */
export function fileProblem(
  file: string | undefined,
  code: Problem['code'],
  message: string,
  line: number,
  column: number,
): Problem {
  return { code, severity: 'error', message, path: [], file, line, column };
}

function textProblem(
  file: string | undefined,
  text: string,
  offset: number,
  message: string,
  code: Problem['code'] = ProblemCodes.NOT_TEXT,
): Problem {
  const { line, col } = linePosOf(text, offset);
  return fileProblem(file, code, message, line, col);
}
