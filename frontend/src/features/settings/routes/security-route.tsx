import { TotpPanel } from '@/features/settings/components/totp-panel';

export function SecurityRoute() {
  return (
    <div className="card flex flex-col gap-3">
      <h3 className="font-semibold">Two-factor sign-in</h3>
      <TotpPanel />
    </div>
  );
}
