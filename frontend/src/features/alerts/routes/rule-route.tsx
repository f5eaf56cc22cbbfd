import { Link, useParams } from 'react-router';

import { useRule } from '@/features/alerts/api/get-rule';
import { useRuleFirings } from '@/features/alerts/api/get-rule-firings';
import { PAGE_SIZE } from '@/features/alerts/api/keys';
import { useLiveFirings } from '@/features/alerts/api/use-live-firings';
import { describeCondition } from '@/features/alerts/components/conditions';
import { FiringsTable } from '@/features/alerts/components/firings-table';
import { formatDateTime } from '@/features/alerts/components/format';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

/** /alerts/rules/:ruleId — one rule and its firing history. */
export function RuleRoute() {
  const ruleId = Number(useParams().ruleId);
  const rule = useRule(ruleId);
  const pages = useKeysetPages();
  const firings = useRuleFirings(ruleId, pages.before);
  useLiveFirings();
  const rows = firings.data ?? [];
  const last = rows[rows.length - 1]?.id;

  return (
    <div className="flex flex-col gap-3">
      <Link to="/alerts" className="text-sm">← All rules</Link>
      {rule.isPending && <Loading label="Loading rule…" />}
      <ErrorMessage error={rule.error} />
      {rule.data && (
        <div className="card flex flex-col gap-1 text-sm">
          <h3 className="text-base font-semibold">{rule.data.name} {rule.data.is_active ? '' : <span className="text-xs text-muted">(off)</span>}</h3>
          <p>{describeCondition(rule.data.condition)}{rule.data.source !== 'event' && ` · ${rule.data.symbol} (${rule.data.exchange})`}</p>
          <p className="text-xs text-muted">Fired {rule.data.fired_count} times · last {formatDateTime(rule.data.last_fired_at)}</p>
        </div>
      )}
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Firings of this rule</h3>
        {firings.isPending && <Loading label="Loading firings…" />}
        <ErrorMessage error={firings.error} />
        {firings.data && rows.length === 0 && pages.page === 1 && (
          <EmptyState>This rule has not fired yet. Its firings appear here live.</EmptyState>
        )}
        {rows.length > 0 && <FiringsTable firings={rows} showRule={false} />}
        <Pager page={pages.page} hasOlder={rows.length >= PAGE_SIZE && last !== undefined}
          onNewer={pages.newer} onOlder={() => last !== undefined && pages.older(last)} label="Firing pages" />
      </div>
    </div>
  );
}
