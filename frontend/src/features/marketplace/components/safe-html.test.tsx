import { render, screen } from '@testing-library/react';

import { SafeHtml } from '@/features/marketplace/components/safe-html';

describe('SafeHtml', () => {
  it('keeps allowed markup and drops scripts, handlers and unsafe links', () => {
    const { container } = render(
      <SafeHtml
        html={
          '<h2>Title</h2><p>Some <strong>bold</strong> and <a href="https://example.com" onclick="steal()">a link</a>.</p>' +
          '<script>window.hacked = true</script><img src="x" onerror="window.hacked = true">' +
          '<p><a href="javascript:alert(1)">bad link</a><iframe src="https://evil.test"></iframe><span style="color:red">kept text</span></p>' +
          '<table>\n<thead>\n<tr><th>param</th></tr>\n</thead>\n<tbody>\n<tr><td>fast</td></tr>\n</tbody>\n</table>'
        }
      />,
    );
    expect(screen.getByRole('heading', { name: 'Title' })).toBeInTheDocument();
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    const link = screen.getByRole('link', { name: 'a link' });
    expect(link).toHaveAttribute('href', 'https://example.com');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    expect(link).not.toHaveAttribute('onclick');
    expect(screen.getByText('bad link')).not.toHaveAttribute('href');
    expect(screen.getByText('kept text').tagName).toBe('P');
    expect(screen.getByRole('cell', { name: 'fast' })).toBeInTheDocument();
    expect(container.querySelector('script, img, iframe, span, [style], [onerror]')).toBeNull();
    expect((window as { hacked?: boolean }).hacked).toBeUndefined();
  });
});
