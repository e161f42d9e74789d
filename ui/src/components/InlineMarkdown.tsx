/**
 * The inline Markdown that plugin and flow descriptions use: `code`, **bold** and [links](url).
 * Rendered as React elements (never as HTML), so a description cannot inject markup.
 */
import type { ReactNode } from 'react';

// One token at a time: code first (its content is literal), then bold, then a link.
const TOKEN = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^\s)]+|\/[^\s)]*)\)/g;

/** `text` with its inline Markdown rendered. */
export function InlineMarkdown({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index;
    if (index > last) parts.push(text.slice(last, index));
    const [whole, code, bold, label, href] = match;
    if (code !== undefined) parts.push(<code key={index}>{code}</code>);
    else if (bold !== undefined) parts.push(<strong key={index}>{bold}</strong>);
    else
      parts.push(
        <a key={index} href={href} target="_blank" rel="noreferrer">
          {label}
        </a>,
      );
    last = index + whole.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
