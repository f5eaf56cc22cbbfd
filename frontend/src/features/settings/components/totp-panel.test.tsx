import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { secretOf, TotpPanel } from '@/features/settings/components/totp-panel';
import { renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

const OTPAUTH = 'otpauth://totp/Quant-Trader:demo%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DP&algorithm=SHA1&digits=6&period=30';

function bodies(fetchMock: ReturnType<typeof stubApi>, path: string): Promise<unknown[]> {
  return Promise.all(
    fetchMock.mock.calls
      .map(([input]) => input as Request)
      .filter((r) => r.method === 'POST' && new URL(r.url).pathname === path)
      .map((r) => r.clone().json()),
  );
}

describe('Two-factor sign-in', () => {
  it('reads the secret out of the otpauth URI', () => {
    expect(secretOf(OTPAUTH)).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP');
    expect(secretOf('not a url')).toBeNull();
  });

  it('sets up: shows the secret, confirms with a code, then offers to turn it off', async () => {
    let enabled = false;
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/auth/totp': () => ({ body: { enabled } }),
      'POST /api/v1/auth/totp/setup': { body: { otpauth_url: OTPAUTH } },
      'POST /api/v1/auth/totp/confirm': (request) => {
        enabled = true;
        void request;
        return { body: { ok: true } };
      },
    });
    renderWithProviders(<TotpPanel />);

    fireEvent.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    expect(await screen.findByLabelText('Secret key')).toHaveTextContent('JBSW Y3DP EHPK 3PXP JBSW Y3DP');
    expect(screen.getByLabelText('Setup link')).toHaveValue(OTPAUTH);

    const form = screen.getByRole('form', { name: 'Confirm two-factor sign-in' });
    fireEvent.change(within(form).getByLabelText('Authenticator code'), { target: { value: '123456' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Turn on two-factor sign-in' }));

    expect(await screen.findByRole('form', { name: 'Turn off two-factor sign-in' })).toBeInTheDocument();
    expect(await bodies(fetchMock, '/api/v1/auth/totp/confirm')).toEqual([{ token: '123456' }]);
  });

  it('shows the API message for a wrong code and keeps the secret on screen', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/auth/totp': { body: { enabled: false } },
      'POST /api/v1/auth/totp/setup': { body: { otpauth_url: OTPAUTH } },
      'POST /api/v1/auth/totp/confirm': {
        status: 400,
        body: { error: { code: 'otp_invalid', message: 'The authenticator code is wrong.' } },
      },
    });
    renderWithProviders(<TotpPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    const form = await screen.findByRole('form', { name: 'Confirm two-factor sign-in' });
    fireEvent.change(within(form).getByLabelText('Authenticator code'), { target: { value: '000000' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Turn on two-factor sign-in' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('The authenticator code is wrong.');
    expect(screen.getByLabelText('Secret key')).toBeInTheDocument();
  });

  it('turns off with the password and a code', async () => {
    let enabled = true;
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/auth/totp': () => ({ body: { enabled } }),
      'POST /api/v1/auth/totp/disable': () => {
        enabled = false;
        return { body: { ok: true } };
      },
    });
    renderWithProviders(<TotpPanel />);
    const form = await screen.findByRole('form', { name: 'Turn off two-factor sign-in' });
    fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'secret pass' } });
    fireEvent.change(within(form).getByLabelText('Authenticator code'), { target: { value: '654321' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Turn off two-factor sign-in' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Set up two-factor sign-in' })).toBeInTheDocument());
    expect(await bodies(fetchMock, '/api/v1/auth/totp/disable')).toEqual([{ password: 'secret pass', token: '654321' }]);
  });
});
