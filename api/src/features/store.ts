/** Stored features of known customers (the feature store built by the features job). */
import type { Knex } from 'knex';
import type { FeatureValues } from '../model/port';

export interface FeatureStore {
  /** Features of each idx found; unknown idx are absent from the map. */
  lookup(idxs: number[]): Promise<Map<number, FeatureValues>>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
}

/**
 * feature_store (the features job's latest table: idx, the challenge features, the purchase
 * features, label): the named feature columns of each idx; NULL means missing (the encoder's policy).
 */
export function postgresFeatureStore(db: Knex, featureNames: readonly string[]): FeatureStore {
  return {
    async lookup(idxs) {
      const unique = [...new Set(idxs)];
      const rows: Array<Record<string, unknown>> = await db('feature_store')
        .select('idx', ...featureNames)
        .whereIn('idx', unique);
      return new Map(
        rows.map((row) => {
          const features: FeatureValues = {};
          for (const name of featureNames) {
            const value = row[name];
            if (typeof value === 'number' || typeof value === 'string') features[name] = value;
          }
          return [Number(row.idx), features];
        }),
      );
    },
    async ping() {
      await db.raw('select 1');
    },
  };
}

/** No database: every idx is unknown, so requests carry the four challenge features. */
export const emptyFeatureStore: FeatureStore = {
  lookup: async () => new Map(),
  ping: async () => undefined,
};
