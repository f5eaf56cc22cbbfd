import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { SignUpRoute } from '@/features/auth/routes/sign-up-route';
import { demoMe, renderWithProviders, stubApi } from '@/testing/test-utils';

describe('SignUpRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('creates the account and lands on the markets', async () => {
    stubApi({ 'POST /api/v1/auth/signup': { status: 201, body: demoMe } });
    renderWithProviders(
      <Routes>
        <Route path="/signup" element={<SignUpRoute />} />
        <Route path="/markets" element={<p>Markets page</p>} />
      </Routes>,
      { route: '/signup' },
    );

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ana@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() => expect(screen.getByText('Markets page')).toBeInTheDocument());
  });

  it('shows the validation message the API returns', async () => {
    stubApi({
      'POST /api/v1/auth/signup': { status: 400, body: { error: { code: 'email_taken', message: 'That email is already registered.' } } },
    });
    renderWithProviders(<SignUpRoute />, { route: '/signup' });

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ana@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That email is already registered.');
  });
});
