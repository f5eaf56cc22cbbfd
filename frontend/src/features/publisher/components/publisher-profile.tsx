import { type FormEvent, useState } from 'react';

import type { PublisherState } from '@/features/publisher/api/get-publisher';
import { useSavePublisher } from '@/features/publisher/api/save-publisher';
import { useStartOnboarding } from '@/features/publisher/api/start-onboarding';
import { ErrorMessage } from '@/shared/components/error-message';

/** Create the publisher profile (display name), or rename it. */
export function PublisherProfileForm({ publisher }: { publisher: PublisherState }) {
  const save = useSavePublisher();
  const [name, setName] = useState(publisher.display_name);
  const [problem, setProblem] = useState<string | null>(null);
  const creating = publisher.id === null || !publisher.enabled;

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) return setProblem('The display name is 1 to 100 characters.');
    setProblem(null);
    save.mutate({ display_name: trimmed, enabled: true });
  }

  return (
    <form className="flex flex-col gap-2" onSubmit={submit} aria-label="Publisher profile" noValidate>
      {creating && (
        <p className="text-sm text-muted">
          To sell or share strategies on the marketplace, create your publisher profile. Subscribers see the display name on
          your listings.
        </p>
      )}
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex flex-1 flex-col gap-1 text-sm">
          <label htmlFor="publisher-name" className="text-muted">Display name</label>
          <input id="publisher-name" className="input" value={name} maxLength={100} placeholder="e.g. Northwind Quant"
            aria-invalid={!!problem} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className="btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : creating ? 'Create publisher profile' : 'Save name'}
        </button>
      </div>
      {problem && <p className="text-xs text-down" role="alert">{problem}</p>}
      {save.isSuccess && !creating && <p className="text-xs text-up" role="status">Saved.</p>}
      <ErrorMessage error={save.error} />
    </form>
  );
}

/** Stripe Connect status: whether payouts can be set up here, and the way to continue onboarding. */
export function PayoutsStatus({ publisher }: { publisher: PublisherState }) {
  const onboarding = useStartOnboarding();

  if (!publisher.billing_enabled) {
    return (
      <div className="flex flex-col gap-1 text-sm" aria-label="Payouts">
        <p><span className="rounded-full border border-border px-2 text-xs font-semibold text-muted">Billing disabled</span></p>
        <p className="text-muted">
          Billing (Stripe) is not configured on this installation, so payouts cannot be set up and paid listings cannot be
          bought here. Free listings work as usual; staff can grant access to paid ones.
        </p>
      </div>
    );
  }
  const ready = publisher.payouts_enabled;
  return (
    <div className="flex flex-col gap-2 text-sm" aria-label="Payouts">
      <p>
        <span className={`rounded-full border px-2 text-xs font-semibold ${ready ? 'border-up text-up' : 'border-accent text-accent'}`}>
          {ready ? 'Payouts enabled' : publisher.stripe_account_id ? 'Onboarding incomplete' : 'Not started'}
        </span>
      </p>
      <p className="text-muted">
        {ready
          ? 'Stripe can pay you: subscribers’ payments, less the platform fee, go to your connected account.'
          : 'Set up a Stripe account to be paid for paid listings. Until then the platform keeps what subscribers pay.'}
      </p>
      {!ready && (
        <div>
          <button type="button" className="btn-primary" disabled={onboarding.isPending || onboarding.isSuccess}
            onClick={() => onboarding.mutate(undefined, { onSuccess: (link) => window.location.assign(link.url) })}>
            {onboarding.isPending ? 'Opening Stripe…' : onboarding.isSuccess ? 'Redirecting to Stripe…' : publisher.stripe_account_id ? 'Continue onboarding' : 'Set up payouts'}
          </button>
        </div>
      )}
      <ErrorMessage error={onboarding.error} />
    </div>
  );
}
