/**
 * The model's features, shared by build-features, training and the API (one definition, no
 * training/serving skew): the four challenge features and purchase behaviour up to the snapshot.
 */

/** The challenge's features: a client of the API must send these for an unknown customer. */
export const CHALLENGE_FEATURES = ['attr_a', 'attr_b', 'scd_a', 'scd_b'] as const;

/** Purchase behaviour over the months before the snapshot's end (see RECENT_MONTHS). */
export const PURCHASE_FEATURES = ['recency_days', 'frequency', 'monetary', 'stores_visited'] as const;

export const FEATURE_COLUMNS = [...CHALLENGE_FEATURES, ...PURCHASE_FEATURES] as const;

/** The window of frequency, monetary and stores_visited, in months up to the snapshot's end. */
export const RECENT_MONTHS = 3;

/** Days since the last purchase are capped here; a customer who never bought gets the cap. */
export const RECENCY_CAP_DAYS = 3650;

export interface FeatureRow {
  attr_a: number | null;
  attr_b: string | null;
  scd_a: number | null;
  scd_b: number | null;
  recency_days: number;
  frequency: number;
  monetary: number;
  stores_visited: number;
}

/** The purchase features of a customer with no purchases (an unknown customer in the API). */
export const NO_PURCHASE_DEFAULTS: Readonly<Pick<FeatureRow, (typeof PURCHASE_FEATURES)[number]>> = Object.freeze({
  recency_days: RECENCY_CAP_DAYS,
  frequency: 0,
  monetary: 0,
  stores_visited: 0,
});
