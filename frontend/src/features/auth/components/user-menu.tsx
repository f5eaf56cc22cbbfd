import { useNavigate } from 'react-router';

import { useMe } from '@/features/auth/api/get-me';
import { useLogout } from '@/features/auth/api/logout';

export function UserMenu() {
  const { data: me } = useMe();
  const logoutMutation = useLogout();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-muted" title={me.email}>{me.full_name || me.email}</span>
      <button type="button" className="btn" disabled={logoutMutation.isPending}
        onClick={() => logoutMutation.mutate(undefined, { onSuccess: () => navigate('/login') })}>
        Sign out
      </button>
    </div>
  );
}
