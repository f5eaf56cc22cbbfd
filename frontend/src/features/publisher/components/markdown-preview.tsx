import { Fragment, type ReactNode } from 'react';

/**
 * A small Markdown renderer for the description preview: headings, paragraphs, **bold**, *italic*,
 * `code`, fenced code, lists, quotes and http(s) links. It builds React elements (never HTML
 * strings), so nothing typed here can inject markup. The saved page is rendered by the server.
 */
function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\((?:https?:\/\/|mailto:)[^)\s]+\))/g;
  let last = 0;
  let match: RegExpExecArray | null;
  let n = 0;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const token = match[0];
    const k = `${key}-${n++}`;
    if (match[1]) out.push(<code key={k} className="rounded bg-bg px-1 font-mono text-xs">{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={k}>{inline(token.slice(2, -2), k)}</strong>);
    else if (match[3]) out.push(<em key={k}>{inline(token.slice(1, -1), k)}</em>);
    else {
      const [, label = '', href = ''] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(token) ?? [];
      out.push(<a key={k} href={href} rel="noopener noreferrer nofollow" target="_blank">{label}</a>);
    }
    last = match.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function renderMarkdown(source: string): ReactNode[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const key = `b${i}`;
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) code.push(lines[i++] ?? '');
      i++;
      blocks.push(<pre key={key} className="overflow-x-auto rounded bg-bg p-2 font-mono text-xs">{code.join('\n')}</pre>);
    } else if (/^#{1,6}\s/.test(line)) {
      const level = (/^#+/.exec(line)?.[0].length ?? 1);
      const text = line.replace(/^#+\s*/, '');
      const size = level === 1 ? 'text-xl' : level === 2 ? 'text-lg' : 'text-base';
      blocks.push(<p key={key} role="heading" aria-level={level} className={`${size} font-semibold`}>{inline(text, key)}</p>);
      i++;
    } else if (/^\s*([-*+]|\d+\.)\s/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && /^\s*([-*+]|\d+\.)\s/.test(lines[i] ?? '')) items.push((lines[i++] ?? '').replace(/^\s*([-*+]|\d+\.)\s+/, ''));
      const children = items.map((item, n) => <li key={n}>{inline(item, `${key}-${n}`)}</li>);
      blocks.push(ordered ? <ol key={key} className="list-decimal pl-5">{children}</ol> : <ul key={key} className="list-disc pl-5">{children}</ul>);
    } else if (line.startsWith('>')) {
      const quote: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('>')) quote.push((lines[i++] ?? '').replace(/^>\s?/, ''));
      blocks.push(<blockquote key={key} className="border-l-2 border-border pl-3 text-muted">{inline(quote.join(' '), key)}</blockquote>);
    } else if (/^(-{3,}|\*{3,})$/.test(line.trim())) {
      blocks.push(<hr key={key} className="border-border" />);
      i++;
    } else {
      const para: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() !== '' && !/^(#{1,6}\s|```|>|\s*([-*+]|\d+\.)\s)/.test(lines[i] ?? '')) para.push(lines[i++] ?? '');
      blocks.push(<p key={key}>{para.map((p, n) => <Fragment key={n}>{n > 0 && ' '}{inline(p, `${key}-${n}`)}</Fragment>)}</p>);
    }
  }
  return blocks;
}

export function MarkdownPreview({ source }: { source: string }) {
  if (!source.trim()) return <p className="text-sm text-muted">Nothing to preview yet: write the description in Markdown.</p>;
  return <div className="flex flex-col gap-2 text-sm" data-testid="markdown-preview">{renderMarkdown(source)}</div>;
}
