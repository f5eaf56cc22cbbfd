import { type FormEvent, useState } from 'react';

import { type CreatedApiKey, useCreateApiKey } from '@/features/settings/api/create-api-key';
import type { Scope } from '@/features/settings/api/get-api-keys';
import { SCOPE_HELP, SCOPES } from '@/features/settings/components/scopes';
import { ErrorMessage } from '@/shared/components/error-message';

/** The end of the chosen local day, as the ISO timestamp the API takes; '' = never expires. */
function expiryOf(date: string): string | null {
  return date ? new Date(`${date}T23:59:59`).toISOString() : null;
}

/** New API key: name, scopes, optional expiry. Hands the created key (with its secret) up once. */
export function ApiKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expires, setExpires] = useState('');

  function toggle(scope: Scope, on: boolean) {
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name, scopes, expires_at: expiryOf(expires) },
      {
        onSuccess: (key) => {
          onCreated(key);
          // The secret must not linger in the mutation cache once handed over.
          create.reset();
          setName('');
          setExpires('');
        },
      },
    );
  }

  const today = new Date().toISOString().slice(0, 10);
  return (
    <form onSubmit={submit} aria-label="Create API key" className="flex flex-col gap-3 text-sm">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex min-w-[12rem] flex-1 flex-col gap-1">
          Name
          <input className="input" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)}
            placeholder="e.g. trading bot" />
        </label>
        <label className="flex flex-col gap-1">
          Expires on (optional)
          <input className="input w-auto" type="date" min={today} value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1">Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="flex items-start gap-2">
            <input type="checkbox" className="mt-1" checked={scopes.includes(scope)}
              onChange={(e) => toggle(scope, e.target.checked)} />
            <span><span className="font-medium">{scope}</span> <span className="text-muted">— {SCOPE_HELP[scope]}</span></span>
          </label>
        ))}
      </fieldset>
      {scopes.length === 0 && <p className="text-xs text-down">Pick at least one scope.</p>}
      <ErrorMessage error={create.error} />
      <div>
        <button type="submit" className="btn-primary" disabled={create.isPending || scopes.length === 0}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
