import { type FormEvent, useState } from 'react';

import { useConfirmTotp } from '@/features/settings/api/confirm-totp';
import { useDisableTotp } from '@/features/settings/api/disable-totp';
import { useTotpStatus } from '@/features/settings/api/get-totp';
import { useSetupTotp } from '@/features/settings/api/setup-totp';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

/** The base32 secret inside an otpauth:// URI, grouped by four for typing; null if absent. */
export function secretOf(otpauthUrl: string): string | null {
  try {
    const secret = new URL(otpauthUrl).searchParams.get('secret');
    return secret ? secret.replace(/(.{4})/g, '$1 ').trim() : null;
  } catch {
    return null;
  }
}

const CODE_PATTERN = '[0-9]{6,8}';

function EnableTotp() {
  const setup = useSetupTotp();
  const confirm = useConfirmTotp();
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate(code, { onSuccess: () => { setCode(''); setup.reset(); } });
  }

  if (!setup.data) {
    return (
      <div className="flex flex-col gap-2 text-sm">
        <p>Two-factor sign-in is <strong>off</strong>. Turn it on to ask for a code from an authenticator app
          (1Password, Google Authenticator, Aegis…) at every sign-in.</p>
        <ErrorMessage error={setup.error} />
        <div>
          <button type="button" className="btn-primary" disabled={setup.isPending} onClick={() => setup.mutate()}>
            {setup.isPending ? 'Starting…' : 'Set up two-factor sign-in'}
          </button>
        </div>
      </div>
    );
  }
  const secret = secretOf(setup.data.otpauth_url);
  return (
    <form onSubmit={submit} aria-label="Confirm two-factor sign-in" className="flex flex-col gap-3 text-sm">
      <ol className="list-decimal space-y-2 pl-5">
        <li>
          In your authenticator app, add an account and enter this secret key:
          <div className="mono mt-1 break-all rounded border border-border bg-bg px-2 py-1 text-base" aria-label="Secret key">
            {secret ?? 'not found in the setup link'}
          </div>
          <details className="mt-1">
            <summary className="cursor-pointer text-muted">Or use the setup link (otpauth URI)</summary>
            <input className="input mono mt-1 text-xs" readOnly value={setup.data.otpauth_url} aria-label="Setup link"
              onFocus={(e) => e.currentTarget.select()} />
          </details>
        </li>
        <li>
          Enter the code it shows to finish:
          <div className="mt-1 flex flex-wrap items-end gap-2">
            <label className="flex flex-col gap-1">
              Authenticator code
              <input className="input mono w-40" inputMode="numeric" autoComplete="one-time-code" required
                pattern={CODE_PATTERN} maxLength={8} value={code} onChange={(e) => setCode(e.target.value.trim())} />
            </label>
            <button type="submit" className="btn-primary" disabled={confirm.isPending}>
              {confirm.isPending ? 'Checking…' : 'Turn on two-factor sign-in'}
            </button>
            <button type="button" className="btn" onClick={() => { setup.reset(); confirm.reset(); }}>Cancel</button>
          </div>
        </li>
      </ol>
      <ErrorMessage error={confirm.error} />
    </form>
  );
}

function DisableTotp() {
  const disable = useDisableTotp();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    disable.mutate({ password, token: code }, { onSuccess: () => { setPassword(''); setCode(''); } });
  }

  return (
    <form onSubmit={submit} aria-label="Turn off two-factor sign-in" className="flex flex-col gap-3 text-sm">
      <p>Two-factor sign-in is <strong className="text-up">on</strong>: every sign-in asks for a code from your
        authenticator app. To turn it off, confirm with your password and a current code.</p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1">
          Password
          <input className="input w-56" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1">
          Authenticator code
          <input className="input mono w-40" inputMode="numeric" autoComplete="one-time-code" required
            pattern={CODE_PATTERN} maxLength={8} value={code} onChange={(e) => setCode(e.target.value.trim())} />
        </label>
        <button type="submit" className="btn text-down" disabled={disable.isPending}>
          {disable.isPending ? 'Turning off…' : 'Turn off two-factor sign-in'}
        </button>
      </div>
      <ErrorMessage error={disable.error} />
    </form>
  );
}

/** Two-factor sign-in (TOTP) of the signed-in user: set up + confirm, or turn off. */
export function TotpPanel() {
  const status = useTotpStatus();
  if (status.isPending) return <Loading label="Checking two-factor sign-in…" />;
  if (status.error) return <ErrorMessage error={status.error} />;
  return status.data.enabled ? <DisableTotp /> : <EnableTotp />;
}
