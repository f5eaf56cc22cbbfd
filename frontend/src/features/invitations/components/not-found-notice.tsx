import { Link } from 'react-router';

export function NotFoundNotice() {
  return (
    <div className="card mx-auto my-8 flex max-w-md flex-col gap-2 text-sm">
      <h2 className="text-lg font-semibold">No such page</h2>
      <p className="text-muted">Open the link from your invitation email: it goes to /invitations/accept with its token.</p>
      <Link to="/">Go to Quant-Trader</Link>
    </div>
  );
}
