/**
 * The model's features, shared by build-features, training and the API (one definition, no
 * training/serving skew): the four challenge features and purchase behaviour up to the snapshot.
 */

/** The challenge's features: a client of the API must send these for an unknown customer. */
export const CHALLENGE_FEATURES = ['attr_a', 'attr_b', 'scd_a', 'scd_b'] as const;

/** Purchase behaviour over the months before the snapshot's end (see RECENT_MONTHS). */
export const PURCHASE_FEATURES = ['recency_days', 'frequency', 'monetary', 'stores_visited'] as const;

export const FEATURE_COLUMNS = [...CHALLENGE_FEATURES, ...PURCHASE_FEATURES] as const;

/** The window of every purchase feature, in months up to the snapshot's end. */
export const RECENT_MONTHS = 3;

/**
 * recency_days of a customer with no purchase in the window: a day more than the longest window
 * (92 days). Counting only inside the window keeps the feature stationary: "days since the last
 * purchase ever" grows with the length of the stored history and would read as drift every month.
 */
export const RECENCY_CAP_DAYS = 93;

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
