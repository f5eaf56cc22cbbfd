import type { components } from '@/shared/api/schema';

/** Shorthand for a schema component: Schema<'AccountOut'>. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
