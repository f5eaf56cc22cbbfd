import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';

import { FakeXhr } from '@/features/publisher/api/upload-version.fake';
import { VersionReport } from '@/features/publisher/components/version-report';
import { VersionUploadForm } from '@/features/publisher/components/version-upload-form';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const manifest = { name: 'rsi', version: '1.2.0', description: 'RSI', params: [], warmup_bars: 14, intervals: ['1m'] };
const wasm = () => new File([new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])], 'rsi.wasm', { type: 'application/wasm' });

function version(overrides: Record<string, unknown>) {
  return { id: 41, listing: 5, version: '1.2.0', changelog: '', manifest, sha256: 'ab'.repeat(32), size: 8, status: 'validating',
    reject_reason: '', validation: {}, backtest: {}, created_at: '2026-11-21T10:00:00Z', reviewed_at: null, published_at: null,
    yanked_at: null, ...overrides };
}

describe('VersionUploadForm', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });

  it('sends module, manifest, version and changelog as multipart with the CSRF header', async () => {
    const fetchMock = stubApi({ 'POST /api/v1/marketplace/my-listings/5/versions': { status: 202, body: version({}) } });
    const onUploaded = vi.fn();
    renderWithProviders(<VersionUploadForm listingId={5} onUploaded={onUploaded} />);

    fireEvent.change(screen.getByLabelText('Module (.wasm)'), { target: { files: [wasm()] } });
    const manifestFile = new File([JSON.stringify(manifest)], 'rsi.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Manifest file (.json)'), { target: { files: [manifestFile] } });
    await waitFor(() => expect(screen.getByLabelText('Version')).toHaveValue('1.2.0')); // taken from the manifest
    fireEvent.change(screen.getByLabelText('Changelog'), { target: { value: 'Faster RSI' } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload version' }));

    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ id: 41, status: 'validating' })));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const sent = FakeXhr.last?.body as FormData;
    expect(FakeXhr.last?.method).toBe('POST');
    expect((sent.get('module') as File).name).toBe('rsi.wasm');
    expect((sent.get('module') as File).size).toBe(8);
    expect(JSON.parse(String(sent.get('manifest')))).toEqual(manifest);
    expect(sent.get('version')).toBe('1.2.0');
    expect(sent.get('changelog')).toBe('Faster RSI');
    expect(FakeXhr.last?.headers['X-CSRFToken']).toBe('test-csrf');
  });

  it('shows upload progress while the request is out', async () => {
    stubApi({ 'POST /api/v1/marketplace/my-listings/5/versions': { status: 202, body: version({}) } });
    let resolveLoad: () => void = () => {};
    const original = FakeXhr.prototype.send;
    FakeXhr.prototype.send = function (this: FakeXhr, body: FormData) {
      const load = () => original.call(this, body);
      this.upload.onprogress?.({ lengthComputable: true, loaded: 30, total: 120 });
      resolveLoad = load;
    };
    try {
      renderWithProviders(<VersionUploadForm listingId={5} onUploaded={vi.fn()} />);
      fireEvent.change(screen.getByLabelText('Module (.wasm)'), { target: { files: [wasm()] } });
      fireEvent.change(screen.getByLabelText('Manifest (JSON)'), { target: { value: JSON.stringify(manifest) } });
      fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.2.0' } });
      fireEvent.click(screen.getByRole('button', { name: 'Upload version' }));
      const bar = await screen.findByRole('progressbar', { name: 'Upload progress' });
      await waitFor(() => expect(bar).toHaveAttribute('value', '25'));
      expect(screen.getByText('25%')).toBeInTheDocument();
      act(() => resolveLoad());
      await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    } finally {
      FakeXhr.prototype.send = original;
    }
  });

  it('checks the inputs before sending, and shows the API refusal of a bad file', async () => {
    const fetchMock = stubApi({
      'POST /api/v1/marketplace/my-listings/5/versions': {
        status: 415,
        body: { error: { code: 'not_wasm', message: 'the module is not a WebAssembly binary (no \\0asm header)' } },
      },
    });
    renderWithProviders(<VersionUploadForm listingId={5} onUploaded={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('Manifest (JSON)'), { target: { value: '{"name": ' } });
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload version' }));
    expect(await screen.findByText('Choose the built module (.wasm).')).toBeInTheDocument();
    expect(screen.getByText(/The manifest is not valid JSON/)).toBeInTheDocument();
    expect(screen.getByText(/semantic version/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Module (.wasm)'), { target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] } });
    fireEvent.change(screen.getByLabelText('Manifest (JSON)'), { target: { value: JSON.stringify(manifest) } });
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.0.0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload version' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Upload refused');
    expect(alert).toHaveTextContent('the module is not a WebAssembly binary');
  });
});

describe('VersionReport', () => {
  const checks = () => within(screen.getByRole('list', { name: 'Validation checks' }));

  it('follows the version from validating to in review with the backtest metrics', async () => {
    let current = version({});
    stubApi({ 'GET /api/v1/marketplace/my-versions/41': () => ({ body: current }) });
    renderWithProviders(<VersionReport versionId={41} pollMs={20} />);
    expect(await screen.findByText('Validating')).toBeInTheDocument();
    expect(checks().getByLabelText(/^No look-ahead: running/)).toBeInTheDocument();

    current = version({
      status: 'in_review',
      validation: { accepted: true, code: 'ok', message: 'the module is accepted', fuel_per_bar: 812.5, details: { validation_bars: 3000, seconds: 0.4 } },
      backtest: { metrics: { total_return: 0.0523, sharpe: 1.234, max_drawdown: 0.081, trades: 17 }, equity: [], method: 'Hypothetical, in-sample: …' },
    });
    expect(await screen.findByText('In review')).toBeInTheDocument();
    expect(checks().getByLabelText(/^No look-ahead: passed/)).toBeInTheDocument();
    expect(checks().getByLabelText(/^Platform backtest .*: passed/)).toBeInTheDocument();
    const metrics = within(screen.getByLabelText('Platform backtest metrics'));
    expect(metrics.getByText('5.23%')).toBeInTheDocument();
    expect(metrics.getByText('1.23')).toBeInTheDocument();
    expect(metrics.getByText('17')).toBeInTheDocument();
    expect(screen.getByText(/staff now review this version/)).toBeInTheDocument();
  });

  it('marks the failing check with its message, earlier checks passed and later ones not run', async () => {
    stubApi({
      'GET /api/v1/marketplace/my-versions/41': {
        body: version({
          status: 'rejected',
          reject_reason: 'validation: look_ahead: the output for bar 1000 changed',
          validation: { accepted: false, code: 'look_ahead', message: 'the output for bar 1000 changed', details: {} },
        }),
      },
    });
    renderWithProviders(<VersionReport versionId={41} />);
    expect(await screen.findByText('Rejected', { selector: 'span' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Reason: validation: look_ahead');
    expect(checks().getByLabelText(/^Deterministic .*: passed/)).toBeInTheDocument();
    expect(checks().getByLabelText(/^No look-ahead: failed/)).toHaveTextContent('look_ahead: the output for bar 1000 changed');
    expect(checks().getByLabelText(/^Batch equals stream .*: not run/)).toBeInTheDocument();
    expect(checks().getByLabelText(/^Platform backtest .*: not run/)).toBeInTheDocument();
  });

  it('shows a failed platform backtest after passed checks', async () => {
    stubApi({
      'GET /api/v1/marketplace/my-versions/41': {
        body: version({ status: 'rejected', validation: { accepted: false, code: 'fuel_exhausted', message: 'backtest: out of fuel', details: {} } }),
      },
    });
    renderWithProviders(<VersionReport versionId={41} />);
    expect(await screen.findByLabelText(/^Platform backtest .*: failed/)).toHaveTextContent('fuel_exhausted: out of fuel');
    expect(checks().getByLabelText(/^Batch equals stream .*: passed/)).toBeInTheDocument();
  });
});
