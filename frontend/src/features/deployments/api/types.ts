import type { Schema } from '@/shared/api/types';

/** A manifest parameter (docs/strategy-abi.md). The ABI declares int and float; bool/enum are accepted too. */
export type ManifestParam = {
  name: string;
  type: 'int' | 'float' | 'bool' | 'enum' | string;
  default: number | boolean | string;
  min?: number;
  max?: number;
  description?: string;
  /** enum only: the allowed values (numbers or strings), optionally labelled. */
  options?: (number | string | { value: number | string; label?: string })[];
};

export type Manifest = {
  name: string;
  version: string;
  description: string;
  params: ManifestParam[];
  warmup_bars: number;
  intervals: string[];
};

/** One entry of GET /strategies/catalogue with its manifest typed. */
export type CatalogueEntry = Omit<Schema<'CatalogueOut'>, 'manifest'> & { manifest: Manifest };

/** A member of a deployment, as the API normalizes it. */
export type Member = {
  kind: 'builtin' | 'module' | 'listing';
  ref: string | number;
  name: string;
  version: string;
  params: Record<string, number>;
  weight: number;
  listing?: number;
};

export type DeploymentError = { code: string; message: string; at: string | null };

export type Deployment = Omit<Schema<'DeploymentOut'>, 'members' | 'error' | 'sizing_params'> & {
  members: Member[];
  error: DeploymentError | null;
  sizing_params: Record<string, number>;
};

export type SignalOrder = {
  id: string;
  status: string;
  side: string;
  qty: string;
  filled_qty?: string;
  avg_price?: string | null;
  reject_reason?: string | null;
};

export type Signal = Omit<Schema<'SignalOut'>, 'orders'> & { orders: SignalOrder[] };

export type DeploymentStatus = 'running' | 'paused' | 'errored' | 'stopped';
