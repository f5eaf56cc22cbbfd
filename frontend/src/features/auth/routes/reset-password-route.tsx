import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { useConfirmPasswordReset } from '@/features/auth/api/password-reset';
import { ErrorMessage } from '@/shared/components/error-message';

/** The emailed link lands here: /reset-password?uid=…&token=… */
export function ResetPasswordRoute() {
  const [params] = useSearchParams();
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = useState('');
  const uid = params.get('uid') ?? '';
  const token = params.get('token') ?? '';

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate({ uid, token, new_password: password });
  }

  return (
    <div className="py-8">
      <form onSubmit={handleSubmit} className="card mx-auto flex max-w-sm flex-col gap-3 text-sm" aria-label="Choose a new password">
        <h2 className="text-lg font-semibold">Choose a new password</h2>
        {!uid || !token ? (
          <p role="alert" className="text-down">This link is incomplete. Request a new one.</p>
        ) : confirm.isSuccess ? (
          <p role="status">Your password is changed. <Link to="/login">Sign in</Link></p>
        ) : (
          <>
            <label className="flex flex-col gap-1">New password<input className="input" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
            <ErrorMessage error={confirm.error} />
            <button type="submit" className="btn-primary" disabled={confirm.isPending}>Set password</button>
          </>
        )}
      </form>
    </div>
  );
}

export default ResetPasswordRoute;
