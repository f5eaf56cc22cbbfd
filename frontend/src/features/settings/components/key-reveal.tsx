import { useState } from 'react';

import type { CreatedApiKey } from '@/features/settings/api/create-api-key';

/** The full key, shown once right after creation, with a copy button; dismissing forgets it. */
export function KeyReveal({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section className="flex flex-col gap-2 rounded border border-accent p-3 text-sm" aria-label="New API key">
      <h4 className="font-semibold">API key “{created.name}” created</h4>
      <p role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-down">
        Copy this key now. It is shown only this once: Quant-Trader keeps only a hash of it, so it cannot be shown
        again. If you lose it, revoke it and create a new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input className="input mono min-w-0 flex-1" readOnly value={created.key} aria-label="Full API key"
          onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn" onClick={() => void copy()}>Copy key</button>
      </div>
      {copied === 'yes' && <p role="status" className="text-up">Copied to the clipboard.</p>}
      {copied === 'failed' && <p role="status" className="text-down">Could not copy: select the key and copy it by hand.</p>}
      <p className="text-muted">
        Send it as <code className="mono">Authorization: Bearer {created.prefix}_…</code>. Scopes: {created.scopes.join(', ')}.
      </p>
      <div>
        <button type="button" className="btn-primary" onClick={onDone}>I have stored the key</button>
      </div>
    </section>
  );
}
