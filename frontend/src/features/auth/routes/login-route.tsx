import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { useMe } from '@/features/auth/api/get-me';
import { LoginForm } from '@/features/auth/components/login-form';
import { Loading } from '@/shared/components/loading';

export function LoginRoute() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') || '/markets';
  const me = useMe();

  if (me.isPending) return <Loading />;
  if (me.data) return <Navigate to={next} replace />;
  return (
    <div className="py-8">
      <LoginForm onSignedIn={() => navigate(next, { replace: true })} />
    </div>
  );
}

export default LoginRoute;
