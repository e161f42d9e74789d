/**
 * Kestra's `documentSplitter`: cut a document into segments of at most `maxSegmentSizeInChars`,
 * packing as many whole units (paragraphs, lines, sentences or words) into each as fit, and
 * cutting a unit that is too long into the next finer unit (down to characters), as langchain4j's
 * splitters do. Consecutive segments share up to `maxOverlapSizeInChars` of trailing units.
 */
import { TaskFailure } from '../../api.js';

export type SplitterType = 'RECURSIVE' | 'PARAGRAPH' | 'LINE' | 'SENTENCE' | 'WORD';

export interface SplitterOptions {
  splitter: SplitterType;
  maxSegmentSizeInChars: number;
  maxOverlapSizeInChars: number;
}

interface Level {
  split: (text: string) => string[];
  joiner: string;
}

const LEVELS: Record<'PARAGRAPH' | 'LINE' | 'SENTENCE' | 'WORD', Level> = {
  PARAGRAPH: { split: (t) => t.split(/\s*\n\s*\n\s*/), joiner: '\n\n' },
  LINE: { split: (t) => t.split(/\s*\n\s*/), joiner: '\n' },
  // A sentence ends with . ! or ? followed by white space (a simple rule; langchain4j uses OpenNLP).
  SENTENCE: { split: (t) => t.split(/(?<=[.!?])\s+/), joiner: ' ' },
  WORD: { split: (t) => t.split(/\s+/), joiner: ' ' },
};

const ORDER = ['PARAGRAPH', 'LINE', 'SENTENCE', 'WORD'] as const;

/** The segments of `text`, trimmed and never empty. */
export function splitDocument(text: string, options: SplitterOptions): string[] {
  const { maxSegmentSizeInChars: max, maxOverlapSizeInChars: overlap } = options;
  if (!Number.isInteger(max) || max < 1)
    throw new TaskFailure('Property `documentSplitter.maxSegmentSizeInChars` must be a positive integer');
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= max)
    throw new TaskFailure(
      'Property `documentSplitter.maxOverlapSizeInChars` must be 0 or more and less than maxSegmentSizeInChars',
    );
  const start = options.splitter === 'RECURSIVE' ? 0 : ORDER.indexOf(options.splitter);
  return splitAt(text.trim(), start, max, overlap);
}

function splitAt(text: string, levelIndex: number, max: number, overlap: number): string[] {
  if (text.length === 0) return [];
  if (text.length <= max) return [text];
  const name = ORDER[levelIndex];
  if (!name) {
    // Finer than words: cut into characters.
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += max - overlap) pieces.push(text.slice(i, i + max));
    return pieces;
  }
  const level = LEVELS[name];
  const units = level
    .split(text)
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  const segments: string[] = [];
  let current: string[] = [];
  // Units of `current` that are not carried over from the previous segment.
  let fresh = 0;
  const length = (parts: readonly string[]) => parts.join(level.joiner).length;
  const flush = () => {
    if (fresh > 0) segments.push(current.join(level.joiner));
    // Carry the trailing units that fit in the overlap into the next segment.
    const carried: string[] = [];
    for (let i = current.length - 1; i >= 0 && fresh > 0; i--) {
      if (length([current[i]!, ...carried]) > overlap) break;
      carried.unshift(current[i]!);
    }
    current = carried;
    fresh = 0;
  };
  for (const unit of units) {
    if (unit.length > max) {
      flush();
      current = [];
      segments.push(...splitAt(unit, levelIndex + 1, max, overlap));
      continue;
    }
    if (length([...current, unit]) > max) {
      flush();
      // The carried overlap and this unit together may still be too long: drop the overlap then.
      if (length([...current, unit]) > max) current = [];
    }
    current.push(unit);
    fresh++;
  }
  if (fresh > 0) segments.push(current.join(level.joiner));
  return segments;
}
