import { type ReactNode, useState } from 'react';

import { formatDateTime } from '@/features/alerts/components/format';

export type RevealedSecret = { endpointId: number; url: string; secret: string; previousValidUntil?: string; title?: string };

/**
 * The signing secret, shown once (the API never returns it again): copy button, a plain
 * warning, and a dismiss that forgets it.
 */
export function SecretReveal({ revealed, onDismiss, children }: { revealed: RevealedSecret; onDismiss: () => void; children?: ReactNode }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function handleCopy() {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <section aria-label="New signing secret" className="card flex flex-col gap-2 border-accent text-sm">
      <h3 className="font-semibold">{revealed.title ?? `Signing secret for ${revealed.url}`}</h3>
      <p className="font-medium text-down">Copy it now: you won’t see it again. No screen shows it later; if you lose it, rotate the secret.</p>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input className="input font-mono" readOnly value={revealed.secret} aria-label="Signing secret"
          onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn-primary whitespace-nowrap" onClick={() => void handleCopy()}>Copy secret</button>
      </div>
      <p role="status" className="text-xs">
        {copy === 'copied' && <span className="text-up">Copied to the clipboard.</span>}
        {copy === 'failed' && <span className="text-down">The browser refused the clipboard: select the secret and copy it by hand.</span>}
      </p>
      {revealed.previousValidUntil && (
        <p className="text-xs text-muted">The previous secret keeps signing alongside this one until {formatDateTime(revealed.previousValidUntil)}: switch your receiver over before then.</p>
      )}
      {children ?? <p className="text-xs text-muted">
        Verify each request: HMAC-SHA256, keyed with the base64-decoded part after <code>whsec_</code>, over
        <code> webhook-id.webhook-timestamp.body</code>, compared with the <code>webhook-signature</code> header (<code>v1,&lt;base64&gt;</code>).
      </p>}
      <div><button type="button" className="btn" onClick={onDismiss}>I have stored it, hide the secret</button></div>
    </section>
  );
}
