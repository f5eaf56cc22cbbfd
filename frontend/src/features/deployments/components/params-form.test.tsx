import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';

import type { ManifestParam } from '@/features/deployments/api/types';
import type { ParamValues } from '@/features/deployments/components/manifest-params';
import { ParamsForm } from '@/features/deployments/components/params-form';

const params: ManifestParam[] = [
  { name: 'period', type: 'int', default: 20, min: 2, max: 1000, description: 'bars' },
  { name: 'k', type: 'float', default: 2, min: 0.1, max: 10, description: 'band width' },
  { name: 'allow_short', type: 'int', default: 0, min: 0, max: 1, description: '1: go short on the opposite signal, 0: stay flat' },
  { name: 'side', type: 'int', default: 1, min: 0, max: 2, description: '0: flat, 1: long only, 2: long/short' },
];

function Harness({ onValues, serverErrors }: { onValues?: (v: ParamValues) => void; serverErrors?: Record<string, string> }) {
  const [values, setValues] = useState<ParamValues>({});
  return (
    <ParamsForm params={params} values={values} serverErrors={serverErrors}
      onChange={(v) => { setValues(v); onValues?.(v); }} />
  );
}

describe('ParamsForm', () => {
  it('renders an input per manifest parameter with its default', () => {
    render(<Harness />);
    expect(screen.getByLabelText('period')).toHaveValue('20');
    expect(screen.getByLabelText('k')).toHaveValue('2');
    expect(screen.getByRole('checkbox', { name: 'allow_short' })).not.toBeChecked();
    expect(screen.getByRole('combobox', { name: 'side' })).toHaveValue('1');
    expect(screen.getByRole('option', { name: '2: long/short' })).toBeInTheDocument();
    expect(screen.getByText(/band width · float 0.1 … 10 · default 2/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('validates min/max and whole numbers inline as you type', () => {
    const onValues = vi.fn();
    render(<Harness onValues={onValues} />);
    fireEvent.change(screen.getByLabelText('period'), { target: { value: '1' } });
    expect(screen.getByRole('alert')).toHaveTextContent('period must be at least 2.');
    expect(screen.getByLabelText('period')).toHaveAttribute('aria-invalid', 'true');
    fireEvent.change(screen.getByLabelText('period'), { target: { value: '2.5' } });
    expect(screen.getByRole('alert')).toHaveTextContent('period must be a whole number.');
    fireEvent.change(screen.getByLabelText('period'), { target: { value: '50' } });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('k'), { target: { value: '12' } });
    expect(screen.getByRole('alert')).toHaveTextContent('k must be at most 10.');
    fireEvent.click(screen.getByRole('checkbox', { name: 'allow_short' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'side' }), { target: { value: '2' } });
    expect(onValues).toHaveBeenLastCalledWith({ period: '50', k: '12', allow_short: '1', side: '2' });
  });

  it("shows the API's message beside the parameter it named", () => {
    render(<Harness serverErrors={{ k: 'strategy: k must be within 0.1..10, got 20' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('strategy: k must be within 0.1..10, got 20');
    expect(screen.getByLabelText('k')).toHaveAttribute('aria-invalid', 'true');
  });
});
