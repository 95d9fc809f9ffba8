/**
 * Every migration, in order. Listed explicitly (not scanned from disk) so the same list runs from
 * TypeScript in tests and from dist/ in the images. Add new files at the end, named
 * YYYYMMDDhhmmss_what.ts.
 */
import type { Knex } from 'knex';
import * as rawTables from './20261122000100_raw_tables';
import * as predictionsFeedback from './20261122000500_predictions_feedback';
import * as quality from './20261122000400_quality';
import * as storeSalesReport from './20261122000600_store_sales_report';
import * as featureStore from './20261122000300_feature_store';
import * as modelRegistry from './20261122000310_model_registry';
import * as driftReports from './20261122000410_drift_reports';
import * as livePerformance from './20261122000420_live_performance';
import * as predictionLatency from './20261122000510_prediction_latency';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261122000100_raw_tables', rawTables],
  ['20261122000500_predictions_feedback', predictionsFeedback],
  ['20261122000400_quality', quality],
  ['20261122000600_store_sales_report', storeSalesReport],
  ['20261122000300_feature_store', featureStore],
  ['20261122000310_model_registry', modelRegistry],
  ['20261122000410_drift_reports', driftReports],
  ['20261122000420_live_performance', livePerformance],
  ['20261122000510_prediction_latency', predictionLatency],
];

/** knex's MigrationSource over the list above. */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
