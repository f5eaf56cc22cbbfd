import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { useSignUp } from '@/features/auth/api/sign-up';
import { ErrorMessage } from '@/shared/components/error-message';

export function SignUpRoute() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Where to go once signed up (e.g. back to an invitation); same-origin paths only.
  const nextParam = params.get('next') ?? '';
  const next = nextParam.startsWith('/') && !nextParam.startsWith('//') ? nextParam : '/markets';
  const signUp = useSignUp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState('');
  const [tenantName, setTenantName] = useState('');

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate(
      { email, password, full_name: fullName, tenant_name: tenantName },
      { onSuccess: () => navigate(next, { replace: true }) },
    );
  }

  return (
    <div className="py-8">
      <form onSubmit={handleSubmit} className="card mx-auto flex max-w-sm flex-col gap-3 text-sm" aria-label="Sign up">
        <h2 className="text-lg font-semibold">Create your account</h2>
        <label className="flex flex-col gap-1">Email<input className="input" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Password<input className="input" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Full name<input className="input" autoComplete="name" value={fullName} onChange={(e) => setFullName(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Organisation (your first tenant)<input className="input" value={tenantName} onChange={(e) => setTenantName(e.target.value)} /></label>
        <ErrorMessage error={signUp.error} />
        <button type="submit" className="btn-primary" disabled={signUp.isPending}>{signUp.isPending ? 'Creating…' : 'Create account'}</button>
        <p className="text-muted">Already have an account? <Link to={nextParam ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Sign in</Link></p>
      </form>
    </div>
  );
}

export default SignUpRoute;
