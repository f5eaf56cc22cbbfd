import { useState } from 'react';

import { useFirings } from '@/features/alerts/api/get-firings';
import { type Rule, useRules } from '@/features/alerts/api/get-rules';
import { PAGE_SIZE } from '@/features/alerts/api/keys';
import { useLiveFirings } from '@/features/alerts/api/use-live-firings';
import { FiringsTable } from '@/features/alerts/components/firings-table';
import { RuleForm } from '@/features/alerts/components/rule-form';
import { RulesTable } from '@/features/alerts/components/rules-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

export function RulesRoute() {
  const [editing, setEditing] = useState<Rule | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const rulePages = useKeysetPages();
  const rules = useRules(rulePages.before);
  const ruleRows = rules.data ?? [];
  const lastRule = ruleRows[ruleRows.length - 1]?.id;

  return (
    <div className="flex flex-col gap-3">
      {editing ? (
        <div className="flex flex-col gap-2">
          <RuleForm key={editing.id} rule={editing} onDone={(rule) => { setEditing(null); setSaved(`Saved “${rule.name}”.`); }} />
          <div><button type="button" className="btn" onClick={() => setEditing(null)}>Cancel editing</button></div>
        </div>
      ) : (
        <RuleForm onDone={(rule) => { rulePages.reset(); setSaved(`Created “${rule.name}”. It is live now.`); }} />
      )}
      {saved && <p role="status" className="text-sm text-up">{saved}</p>}

      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Rules</h3>
        {rules.isPending && <Loading label="Loading rules…" />}
        <ErrorMessage error={rules.error} />
        {rules.data && ruleRows.length === 0 && rulePages.page === 1 && (
          <EmptyState>No alert rules yet. Create one above: pick a condition, a market, and how you want to be told.</EmptyState>
        )}
        {ruleRows.length > 0 && <RulesTable rules={ruleRows} onEdit={(rule) => { setSaved(null); setEditing(rule); window.scrollTo?.({ top: 0 }); }} />}
        <Pager page={rulePages.page} hasOlder={ruleRows.length >= PAGE_SIZE && lastRule !== undefined}
          onNewer={rulePages.newer} onOlder={() => lastRule !== undefined && rulePages.older(lastRule)} label="Rule pages" />
      </div>

      <FiringHistory />
    </div>
  );
}

function FiringHistory() {
  const pages = useKeysetPages();
  const firings = useFirings(pages.before);
  const live = useLiveFirings();
  const rows = firings.data ?? [];
  const last = rows[rows.length - 1]?.id;
  return (
    <div className="card flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">Firing history</h3>
        <span className="text-xs text-muted" aria-live="polite">
          Live: new in-app firings appear here{live > 0 ? ` (${live} new)` : ''}
        </span>
      </div>
      {firings.isPending && <Loading label="Loading firings…" />}
      <ErrorMessage error={firings.error} />
      {firings.data && rows.length === 0 && pages.page === 1 && (
        <EmptyState>Nothing has fired yet. Firings of every rule show up here as they happen.</EmptyState>
      )}
      {rows.length > 0 && <FiringsTable firings={rows} />}
      <Pager page={pages.page} hasOlder={rows.length >= PAGE_SIZE && last !== undefined}
        onNewer={pages.newer} onOlder={() => last !== undefined && pages.older(last)} label="Firing pages" />
    </div>
  );
}
