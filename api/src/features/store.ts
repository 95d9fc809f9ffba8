/** Stored features of known customers (the feature store built by the features job). */
import type { Knex } from 'knex';
import type { FeatureValues } from '../model/port';

export interface FeatureStore {
  /** Features of each idx found; unknown idx are absent from the map. */
  lookup(idxs: number[]): Promise<Map<number, FeatureValues>>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
}

/** feature_store(idx, features jsonb): the latest row of each customer. */
export function postgresFeatureStore(db: Knex): FeatureStore {
  return {
    async lookup(idxs) {
      const unique = [...new Set(idxs)];
      const rows: Array<{ idx: number | string; features: FeatureValues }> = await db('feature_store')
        .select('idx', 'features')
        .whereIn('idx', unique);
      return new Map(rows.map((r) => [Number(r.idx), r.features]));
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
