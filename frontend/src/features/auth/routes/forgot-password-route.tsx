import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { useRequestPasswordReset } from '@/features/auth/api/password-reset';
import { ErrorMessage } from '@/shared/components/error-message';

export function ForgotPasswordRoute() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    request.mutate(email);
  }

  return (
    <div className="py-8">
      <form onSubmit={handleSubmit} className="card mx-auto flex max-w-sm flex-col gap-3 text-sm" aria-label="Reset password">
        <h2 className="text-lg font-semibold">Reset your password</h2>
        {request.isSuccess ? (
          // The API answers the same whether or not the account exists, so we say so.
          <p role="status">If an account exists for {email}, we have emailed it a reset link.</p>
        ) : (
          <>
            <label className="flex flex-col gap-1">Email<input className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} /></label>
            <ErrorMessage error={request.error} />
            <button type="submit" className="btn-primary" disabled={request.isPending}>Email me a reset link</button>
          </>
        )}
        <Link to="/login">Back to sign in</Link>
      </form>
    </div>
  );
}

export default ForgotPasswordRoute;
