/** The document splitter of IngestDocument: segment sizes, the cascade to finer units, overlaps. */
import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../../src/plugins/ai/rag/splitter.js';

describe('splitDocument', () => {
  it('packs whole paragraphs into segments of at most the maximum', () => {
    const text = 'Alpha one.\n\nBeta two.\n\nGamma three is longer.';
    expect(
      splitDocument(text, { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 22, maxOverlapSizeInChars: 0 }),
    ).toEqual(['Alpha one.\n\nBeta two.', 'Gamma three is longer.']);
  });

  it('RECURSIVE cuts a paragraph that is too long into lines, then sentences, then words, then characters', () => {
    const text = 'Short paragraph.\n\nFirst sentence here. Second sentence here.\n\nSupercalifragilistic';
    const segments = splitDocument(text, {
      splitter: 'RECURSIVE',
      maxSegmentSizeInChars: 21,
      maxOverlapSizeInChars: 0,
    });
    expect(segments).toEqual([
      'Short paragraph.',
      'First sentence here.',
      'Second sentence here.',
      'Supercalifragilistic',
    ]);
    expect(
      splitDocument('abcdefghij', { splitter: 'WORD', maxSegmentSizeInChars: 4, maxOverlapSizeInChars: 0 }),
    ).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('consecutive segments share trailing whole units up to the overlap', () => {
    const segments = splitDocument('one two three four five six', {
      splitter: 'WORD',
      maxSegmentSizeInChars: 13,
      maxOverlapSizeInChars: 5,
    });
    expect(segments).toEqual(['one two three', 'three four', 'four five six']);
    for (const segment of segments) expect(segment.length).toBeLessThanOrEqual(13);
  });

  it('refuses sizes that cannot work', () => {
    expect(() =>
      splitDocument('x', { splitter: 'LINE', maxSegmentSizeInChars: 0, maxOverlapSizeInChars: 0 }),
    ).toThrow(/maxSegmentSizeInChars/);
    expect(() =>
      splitDocument('x', { splitter: 'LINE', maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 10 }),
    ).toThrow(/maxOverlapSizeInChars/);
  });
});
