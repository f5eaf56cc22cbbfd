import { useState } from 'react';
import { useNavigate } from 'react-router';

import { useDeleteAccount } from '@/features/paper/api/delete-account';
import { useResetAccount } from '@/features/paper/api/reset-account';
import { ErrorMessage } from '@/shared/components/error-message';

type Pending = 'reset' | 'delete' | null;

/** Reset and delete are destructive: each asks once more before calling the API. */
export function AccountActions({ accountId }: { accountId: number }) {
  const navigate = useNavigate();
  const reset = useResetAccount();
  const remove = useDeleteAccount();
  const [confirming, setConfirming] = useState<Pending>(null);

  function confirm() {
    if (confirming === 'reset') reset.mutate(accountId, { onSettled: () => setConfirming(null) });
    if (confirming === 'delete') remove.mutate(accountId, { onSuccess: () => navigate('/paper', { replace: true }) });
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap items-center gap-2">
        {confirming ? (
          <>
            <span className="text-sm">
              {confirming === 'reset' ? 'Reset balances, orders and positions?' : 'Delete this account and its history?'}
            </span>
            <button type="button" className="btn" onClick={confirm}>Yes, {confirming}</button>
            <button type="button" className="btn" onClick={() => setConfirming(null)}>Keep</button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => setConfirming('reset')}>Reset account</button>
            <button type="button" className="btn text-down" onClick={() => setConfirming('delete')}>Delete account</button>
          </>
        )}
      </div>
      <ErrorMessage error={reset.error ?? remove.error} />
    </div>
  );
}
