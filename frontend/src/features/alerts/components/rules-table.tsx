import { Link } from 'react-router';

import { useDeleteRule } from '@/features/alerts/api/delete-rule';
import type { Rule } from '@/features/alerts/api/get-rules';
import { useUpdateRule } from '@/features/alerts/api/update-rule';
import { ConfirmButton } from '@/features/alerts/components/confirm-button';
import { describeCondition } from '@/features/alerts/components/conditions';
import { formatDateTime } from '@/features/alerts/components/format';
import { ErrorMessage } from '@/shared/components/error-message';

const MODE_LABEL = { once: 'once', every_time: 'every time', cooldown: 'cooldown' } as const;

function market(rule: Rule): string {
  if (rule.source === 'event') return 'events';
  const where = `${rule.symbol} (${rule.exchange})`;
  return rule.source === 'trade' ? `${where} · trades` : `${where} · ${rule.interval} ${rule.source}`;
}

export function RulesTable({ rules, onEdit }: { rules: Rule[]; onEdit: (rule: Rule) => void }) {
  const update = useUpdateRule();
  const remove = useDeleteRule();
  return (
    <div className="flex flex-col gap-2">
      <ErrorMessage error={update.error} />
      <ErrorMessage error={remove.error} />
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Alert rules">
          <thead>
            <tr><th>On</th><th>Rule</th><th>Condition</th><th>Market</th><th>Trigger</th><th className="text-right">Fired</th><th>Last fired</th><th>Actions</th></tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} className={rule.is_active ? '' : 'text-muted'}>
                <td>
                  <input type="checkbox" aria-label={`Enabled: ${rule.name}`} checked={rule.is_active ?? true}
                    disabled={update.isPending && update.variables?.id === rule.id}
                    onChange={(e) => update.mutate({ id: rule.id, patch: { is_active: e.target.checked } })} />
                </td>
                <td><Link to={`/alerts/rules/${rule.id}`}>{rule.name}</Link></td>
                <td>{describeCondition(rule.condition)}</td>
                <td className="whitespace-nowrap text-xs">{market(rule)}</td>
                <td className="whitespace-nowrap text-xs">
                  {MODE_LABEL[rule.mode ?? 'every_time']}{rule.mode === 'cooldown' ? ` ${rule.cooldown_s}s` : ''}
                  {rule.expires_at && <span className="block text-muted">until {formatDateTime(rule.expires_at)}</span>}
                </td>
                <td className="text-right font-mono">{rule.fired_count}</td>
                <td className="whitespace-nowrap text-xs">{formatDateTime(rule.last_fired_at)}</td>
                <td>
                  <div className="flex flex-wrap gap-1">
                    <button type="button" className="btn" onClick={() => onEdit(rule)} aria-label={`Edit ${rule.name}`}>Edit</button>
                    <ConfirmButton label="Delete" question={`Delete “${rule.name}” and its firing history?`} confirmLabel="Delete rule"
                      pending={remove.isPending && remove.variables === rule.id} onConfirm={() => remove.mutate(rule.id)} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
