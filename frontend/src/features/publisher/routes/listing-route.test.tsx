import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { FakeXhr } from '@/features/publisher/api/upload-version.fake';
import { ListingRoute } from '@/features/publisher/routes/listing-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const listing = { id: 5, name: 'Trend rider', slug: 'trend-rider', summary: 'SMA', description_md: '', description_html: '',
  category: 'trend', tags: [], markets: ['sim:BTC-USDT'], intervals: ['1m'], risk_level: 'medium', price_cents: 0,
  public: false, subscriber_count: 0, latest_version: null, created_at: '2026-11-20T10:00:00Z', published_at: null };
const manifest = { name: 'rsi', version: '1.0.0', description: 'RSI', params: [], warmup_bars: 14, intervals: ['1m'] };
const uploaded = { id: 41, listing: 5, version: '1.0.0', changelog: '', manifest, sha256: 'ab'.repeat(32), size: 8,
  status: 'validating', reject_reason: '', validation: {}, backtest: {}, created_at: '2026-11-21T10:00:00Z',
  reviewed_at: null, published_at: null, yanked_at: null };

describe('ListingRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });

  it('uploads the first version and opens its report, which follows the pipeline', async () => {
    let versions: unknown[] = [];
    let current: Record<string, unknown> = uploaded;
    stubApi({
      'GET /api/v1/marketplace/my-listings/5': { body: listing },
      'GET /api/v1/marketplace/my-listings/5/stats': {
        body: { subscribers: { active: 0 }, entitled: 0, revenue: [], failed_invoices: 0, monthly: [], billing_enabled: false },
      },
      'GET /api/v1/marketplace/my-listings/5/versions': () => ({ body: versions }),
      'POST /api/v1/marketplace/my-listings/5/versions': () => {
        versions = [uploaded];
        return { status: 202, body: uploaded };
      },
      'GET /api/v1/marketplace/my-versions/41': () => ({ body: current }),
    });
    renderWithProviders(<Routes><Route path="/publisher/listings/:id" element={<ListingRoute />} /></Routes>, { route: '/publisher/listings/5' });

    expect(await screen.findByText(/No versions yet/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Trend rider' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Upload version' }));
    const form = screen.getByRole('form', { name: 'Upload a version' });
    fireEvent.change(within(form).getByLabelText('Module (.wasm)'), {
      target: { files: [new File([new Uint8Array([0, 97, 115, 109])], 'rsi.wasm')] },
    });
    fireEvent.change(within(form).getByLabelText('Manifest (JSON)'), { target: { value: JSON.stringify(manifest) } });
    fireEvent.change(within(form).getByLabelText('Version'), { target: { value: '1.0.0' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Upload version' }));

    const report = await screen.findByRole('region', { name: 'Version 1.0.0 report' });
    expect(within(report).getByRole('status', { name: 'Version status' })).toHaveTextContent('Validating');
    expect(await screen.findByRole('table', { name: 'Versions' })).toHaveTextContent('1.0.0');
    expect(screen.queryByRole('form', { name: 'Upload a version' })).toBeNull();

    current = { ...uploaded, status: 'in_review', validation: { accepted: true, code: 'ok', message: 'ok', details: {} } };
    versions = [current];
    expect(await within(report).findByText('In review', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(await within(screen.getByRole('table', { name: 'Versions' })).findByText('In review')).toBeInTheDocument();
  });
});
