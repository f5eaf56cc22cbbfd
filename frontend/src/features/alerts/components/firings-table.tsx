import { Link } from 'react-router';

import type { Firing } from '@/features/alerts/api/get-firings';
import { firingNumber, formatDateTime } from '@/features/alerts/components/format';

export function FiringsTable({ firings, showRule = true }: { firings: Firing[]; showRule?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="table-basic w-full text-sm" aria-label="Firings">
        <thead>
          <tr><th>Time</th>{showRule && <th>Rule</th>}<th>Message</th><th className="text-right">Price</th><th className="text-right">Value</th></tr>
        </thead>
        <tbody>
          {firings.map((f) => (
            <tr key={f.id}>
              <td className="whitespace-nowrap text-xs text-muted">{formatDateTime(f.fired_at)}</td>
              {showRule && <td><Link to={`/alerts/rules/${f.rule}`}>{f.rule_name || `#${f.rule}`}</Link></td>}
              <td className="break-words">{f.message}</td>
              <td className="text-right font-mono">{firingNumber(f.values, 'price')}</td>
              <td className="text-right font-mono">{firingNumber(f.values, 'value')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
