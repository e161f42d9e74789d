/**
 * The README and docs/ link only pages that exist and say something: a new user following
 * getting-started must not land on a missing file or on a stub that only points elsewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const PAGES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

/** Relative link targets of a page (`[text](target)`), without anchors; code blocks skipped. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

/** A page whose whole body is "moved to …": it should be gone, with its links fixed. */
function isStub(path: string): boolean {
  const text = readFileSync(path, 'utf8');
  return /\bmoved to\b/i.test(text) && text.split('\n').filter((line) => line.trim()).length <= 4;
}

describe('documentation links', () => {
  it('point at files that exist and are not stubs', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const target of relativeLinks(readFileSync(page, 'utf8'))) {
        const path = join(dirname(page), decodeURIComponent(target));
        const where = `${relative(ROOT, page)} → ${target}`;
        if (!existsSync(path)) broken.push(`${where} (missing)`);
        else if (path.endsWith('.md') && isStub(path)) broken.push(`${where} (a stub)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
