import { fireEvent, screen, waitFor } from '@testing-library/react';

import { LoginForm } from '@/features/auth/components/login-form';
import { demoMe, renderWithProviders, stubApi } from '@/testing/test-utils';

function fillCredentials() {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'demo@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret-pass' } });
}

describe('LoginForm', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('asks for the TOTP code when the API answers otp_required, then signs in with it', async () => {
    const bodies: unknown[] = [];
    const fetchMock = stubApi({
      'POST /api/v1/auth/login': (request) => {
        expect(request.headers.get('X-CSRFToken')).toBe('test-csrf');
        return { status: 401, body: { error: { code: 'otp_required', message: 'Enter your authenticator code.' } } };
      },
    });
    const onSignedIn = vi.fn();
    renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);

    fillCredentials();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const codeInput = await screen.findByLabelText('Authenticator code');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    stubApi({
      'POST /api/v1/auth/login': (request) => {
        void request.clone().json().then((body) => bodies.push(body));
        return { body: demoMe };
      },
    });
    fireEvent.change(codeInput, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(bodies[0]).toEqual({ email: 'demo@example.com', password: 'secret-pass', otp: '123456' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('shows the message the API returns for bad credentials', async () => {
    stubApi({
      'POST /api/v1/auth/login': { status: 401, body: { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } } },
    });
    renderWithProviders(<LoginForm onSignedIn={vi.fn()} />);

    fillCredentials();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
  });
});
