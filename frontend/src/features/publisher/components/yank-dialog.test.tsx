import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { VersionsTable } from '@/features/publisher/components/versions-table';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const base = { listing: 5, changelog: '', manifest: {}, sha256: '0'.repeat(64), size: 10, reject_reason: '', validation: {},
  backtest: {}, created_at: '2026-11-20T10:00:00Z', reviewed_at: null, published_at: null, yanked_at: null };
const versions = [
  { ...base, id: 12, version: '1.1.0', status: 'in_review' as const },
  { ...base, id: 11, version: '1.0.0', status: 'published' as const },
  { ...base, id: 10, version: '0.9.0', status: 'rejected' as const, reject_reason: 'validation: look_ahead: bar 3 changed' },
];

describe('yanking a version', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('offers yank only for published versions and explains that deployments pause', () => {
    stubApi({});
    renderWithProviders(<VersionsTable versions={versions} selected={null} onSelect={vi.fn()} />);
    expect(screen.getAllByRole('button', { name: /^Yank/ })).toHaveLength(1);
    expect(screen.getByText('validation: look_ahead: bar 3 changed')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Yank 1.0.0' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Yank version 1.0.0?' });
    expect(dialog).toHaveAccessibleDescription(/deployment running 1.0.0 is paused/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });

  it('cancel sends nothing; confirm posts the yank and closes', async () => {
    const fetchMock = stubApi({
      'POST /api/v1/marketplace/my-versions/11/yank': { body: { ...versions[1], status: 'yanked', yanked_at: '2026-11-21T10:00:00Z' } },
    });
    renderWithProviders(<VersionsTable versions={versions} selected={null} onSelect={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Yank 1.0.0' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Yank 1.0.0' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yank 1.0.0' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.method).toBe('POST');
    expect(request.headers.get('X-CSRFToken')).toBe('test-csrf');
  });

  it('keeps the dialog open with the API message when the yank is refused', async () => {
    stubApi({
      'POST /api/v1/marketplace/my-versions/11/yank': {
        status: 409,
        body: { error: { code: 'not_published', message: 'only a published version can be yanked' } },
      },
    });
    renderWithProviders(<VersionsTable versions={versions} selected={null} onSelect={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Yank 1.0.0' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yank 1.0.0' }));
    expect(await within(screen.getByRole('alertdialog')).findByRole('alert')).toHaveTextContent('only a published version can be yanked');
  });
});
