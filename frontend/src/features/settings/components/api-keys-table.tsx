import { API_KEYS_PAGE } from '@/features/settings/api/keys';
import { type ApiKey, useApiKeys } from '@/features/settings/api/get-api-keys';
import { useRevokeApiKey } from '@/features/settings/api/revoke-api-key';
import { ConfirmButton } from '@/features/settings/components/confirm-button';
import { formatTime, isPast } from '@/features/settings/components/format';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

function KeyStatus({ apiKey }: { apiKey: ApiKey }) {
  if (apiKey.revoked_at) return <span className="badge badge-fail">revoked</span>;
  if (isPast(apiKey.expires_at)) return <span className="badge badge-fail">expired</span>;
  return <span className="badge badge-ok">active</span>;
}

/** The tenant's API keys (prefix only: the secret is never sent again), newest first. */
export function ApiKeysTable() {
  const pages = useKeysetPages();
  const keys = useApiKeys(pages.before);
  const revoke = useRevokeApiKey();
  const rows = keys.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (keys.isPending) return <Loading label="Loading API keys…" />;
  if (keys.error) return <ErrorMessage error={keys.error} />;

  return (
    <div className="flex flex-col gap-2">
      <ErrorMessage error={revoke.error} />
      {rows.length === 0 ? (
        <EmptyState>No API keys yet. Create one above to call the API from scripts and bots.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="table-basic w-full text-sm" aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th><th>Prefix</th><th>Scopes</th><th>Status</th>
                <th className="hidden md:table-cell">Created</th><th className="hidden md:table-cell">Last used</th>
                <th className="hidden md:table-cell">Expires</th><th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((apiKey) => (
                <tr key={apiKey.id}>
                  <td className="font-medium">{apiKey.name}</td>
                  <td className="mono whitespace-nowrap text-xs">{apiKey.prefix}</td>
                  <td>{apiKey.scopes.join(', ')}</td>
                  <td><KeyStatus apiKey={apiKey} /></td>
                  <td className="hidden text-muted md:table-cell">{formatTime(apiKey.created_at)}</td>
                  <td className="hidden text-muted md:table-cell">
                    {formatTime(apiKey.last_used_at, 'never')}
                    {apiKey.last_used_ip && <span className="block text-xs">{apiKey.last_used_ip}</span>}
                  </td>
                  <td className="hidden text-muted md:table-cell">{formatTime(apiKey.expires_at, 'never')}</td>
                  <td className="text-right">
                    {!apiKey.revoked_at && (
                      <ConfirmButton label="Revoke" question={`Revoke ${apiKey.name}? Calls with it fail at once.`}
                        confirmLabel="Yes, revoke" pending={revoke.isPending && revoke.variables === apiKey.id}
                        onConfirm={() => revoke.mutate(apiKey.id)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={pages.page} hasOlder={rows.length >= API_KEYS_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="API key pages" />
    </div>
  );
}
