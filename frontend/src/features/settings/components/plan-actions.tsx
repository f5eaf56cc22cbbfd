import type { Billing } from '@/features/settings/api/get-billing';
import { useOpenPortal } from '@/features/settings/api/open-portal';
import { useStartCheckout } from '@/features/settings/api/start-checkout';
import { ErrorMessage } from '@/shared/components/error-message';

/** Leaves the app for Stripe (Checkout or the Customer Portal). */
function goTo(url: string) {
  window.location.assign(url);
}

/** Upgrade through Stripe Checkout and manage the subscription in the Customer Portal (admin). */
export function PlanActions({ billing, canManage }: { billing: Billing; canManage: boolean }) {
  const checkout = useStartCheckout();
  const portal = useOpenPortal();

  if (!billing.enabled) {
    return (
      <p className="rounded border border-dashed border-border p-4 text-sm text-muted" role="note">
        Billing is disabled on this installation: there is no online checkout. Staff set each tenant's tier in the admin
        console, so ask your Quant-Trader administrator to change your plan.
      </p>
    );
  }
  if (!canManage) {
    return <p className="text-sm text-muted" role="note">Only admins and owners can change the plan or open the billing portal.</p>;
  }
  const upgrades = billing.plans.filter((plan) => plan !== billing.tier);
  const busy = checkout.isPending || portal.isPending || checkout.isSuccess || portal.isSuccess;
  return (
    <div className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap gap-2">
        {upgrades.map((plan) => (
          <button key={plan} type="button" className="btn-primary" disabled={busy}
            onClick={() => checkout.mutate(plan, { onSuccess: (session) => goTo(session.url) })}>
            Upgrade to {plan}
          </button>
        ))}
        <button type="button" className="btn" disabled={busy}
          onClick={() => portal.mutate(undefined, { onSuccess: (session) => goTo(session.url) })}>
          Manage billing
        </button>
      </div>
      {upgrades.length === 0 && <p className="text-muted">You are on the highest plan on sale.</p>}
      {(checkout.isSuccess || portal.isSuccess) && <p role="status">Opening Stripe…</p>}
      <ErrorMessage error={checkout.error ?? portal.error} />
    </div>
  );
}
