import { createElement, type ReactNode, useMemo } from 'react';

// The server renders listing descriptions from Markdown and sanitizes them with an allow-list
// (backend/marketplace/text.py). This renderer does not trust that: it parses the HTML into an
// inert document (DOMParser runs no script and loads nothing), keeps only the same allow-list of
// tags and attributes, and builds React elements from it, so no HTML string is ever injected.
const STYLES: Record<string, string> = {
  p: 'my-2',
  h1: 'mb-2 mt-4 text-xl font-semibold',
  h2: 'mb-2 mt-4 text-lg font-semibold',
  h3: 'mb-1 mt-3 font-semibold',
  h4: 'mb-1 mt-3 font-semibold',
  h5: 'mb-1 mt-2 font-semibold',
  h6: 'mb-1 mt-2 font-semibold',
  ul: 'my-2 list-disc pl-6',
  ol: 'my-2 list-decimal pl-6',
  li: '',
  strong: 'font-semibold',
  em: 'italic',
  code: 'rounded bg-bg px-1 font-mono text-sm',
  pre: 'my-2 overflow-x-auto rounded bg-bg p-2 font-mono text-sm',
  blockquote: 'my-2 border-l-4 border-border pl-3 text-muted',
  hr: 'my-4 border-border',
  br: '',
  a: '',
  table: 'my-2 table-basic text-sm',
  thead: '',
  tbody: '',
  tr: '',
  th: '',
  td: '',
};
const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math']);
const VOID = new Set(['br', 'hr']);
// Whitespace text is not allowed between these elements' children (React warns; tables break).
const NO_TEXT_CHILDREN = new Set(['table', 'thead', 'tbody', 'tr', 'ul', 'ol']);
const SAFE_HREF = /^(https?:|mailto:)/i;

function convert(node: Node, key: number, parentTag: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node.textContent ?? '';
    return NO_TEXT_CHILDREN.has(parentTag) && text.trim() === '' ? null : text;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (DROPPED_WITH_CONTENT.has(tag)) return null;
  const children = Array.from(element.childNodes, (child, i) => convert(child, i, tag));
  const className = STYLES[tag];
  // Not on the allow-list: the element goes, its text stays.
  if (className === undefined) return children;
  const props: Record<string, unknown> = { key, className: className || undefined };
  if (tag === 'a') {
    const href = element.getAttribute('href') ?? '';
    if (SAFE_HREF.test(href.trim())) {
      props.href = href.trim();
      props.target = '_blank';
      props.rel = 'noopener noreferrer nofollow';
    }
    const title = element.getAttribute('title');
    if (title) props.title = title;
  }
  return VOID.has(tag) ? createElement(tag, props) : createElement(tag, props, ...children);
}

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const content = useMemo(() => {
    const body = new DOMParser().parseFromString(html, 'text/html').body;
    return Array.from(body.childNodes, (node, i) => convert(node, i, 'div'));
  }, [html]);
  return <div className={className}>{content}</div>;
}
