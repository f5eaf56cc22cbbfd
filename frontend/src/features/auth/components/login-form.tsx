import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { useLogin } from '@/features/auth/api/login';
import { ApiError } from '@/shared/api/http';
import { ErrorMessage } from '@/shared/components/error-message';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const loginMutation = useLogin();
  // A return path (e.g. an invitation) survives the detour through sign-up.
  const next = useSearchParams()[0].get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  // The API tells us when the account has TOTP enabled (401 otp_required); only then ask.
  const [needsOtp, setNeedsOtp] = useState(false);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    loginMutation.mutate(
      { email, password, ...(needsOtp ? { otp } : {}) },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'otp_required') setNeedsOtp(true);
        },
      },
    );
  }

  const error = loginMutation.error;
  const showError = error && !(error instanceof ApiError && error.code === 'otp_required');

  return (
    <form onSubmit={handleSubmit} className="card mx-auto flex max-w-sm flex-col gap-3" aria-label="Sign in">
      <h2 className="text-lg font-semibold">Sign in</h2>
      <label className="flex flex-col gap-1 text-sm">
        Email
        <input className="input" type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Password
        <input className="input" type="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} />
      </label>
      {needsOtp && (
        <div className="flex flex-col gap-1 text-sm">
          <label className="flex flex-col gap-1">
            Authenticator code
          <input className="input" inputMode="numeric" autoComplete="one-time-code" required autoFocus
            pattern="[0-9]{6}" value={otp} onChange={(e) => setOtp(e.target.value)} />
          </label>
          <span className="text-xs text-muted">Two-factor authentication is on for this account.</span>
        </div>
      )}
      {showError && <ErrorMessage error={error} />}
      <button type="submit" className="btn-primary" disabled={loginMutation.isPending}>
        {loginMutation.isPending ? 'Signing in…' : needsOtp ? 'Verify and sign in' : 'Sign in'}
      </button>
      <p className="flex justify-between text-sm">
        <Link to={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>Create an account</Link>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
    </form>
  );
}
