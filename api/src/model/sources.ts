/**
 * The two model sources: the registry champion (hot reload on promotion) and an exported model
 * directory (a deployment without database access). Loading itself is the model package's job.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { FeatureValues, ModelSource, ServingModel } from './port';
import { listenForPromotions } from './promotions';

/** What the API uses from @propel/jobs' model module. */
export interface ModelPackage {
  loadModelFromDir(dir: string): Promise<ServingModel>;
  loadModelFromRegistry(db: Knex, version?: string): Promise<ServingModel>;
  CHALLENGE_FEATURES: readonly string[];
  NO_PURCHASE_DEFAULTS: Readonly<FeatureValues>;
}

/** The champion alias of the registry; `NOTIFY propel_model_promoted` announces changes. */
export function registrySource(pkg: ModelPackage, db: Knex, databaseUrl: string, logger: Logger): ModelSource {
  return {
    name: 'registry',
    async wantedVersion() {
      const row = (await db('model_aliases').where({ alias: 'champion' }).first('version')) as
        { version: string } | undefined;
      return row?.version;
    },
    load: (version) => pkg.loadModelFromRegistry(db, version),
    async list() {
      return db('model_versions').select('version', 'kind', 'created_at').orderBy('created_at', 'desc').limit(50);
    },
    watch: (onChange) => listenForPromotions(databaseUrl, logger, onChange),
  };
}

/** One exported model directory; it does not change while the process runs (deploys restart it). */
export function directorySource(pkg: ModelPackage, dir: string): ModelSource {
  let loaded: string | undefined;
  return {
    name: `dir:${dir}`,
    wantedVersion: async () => loaded ?? dir,
    async load() {
      const model = await pkg.loadModelFromDir(dir);
      loaded = model.version;
      return model;
    },
    list: async () => (loaded ? [{ version: loaded, dir }] : []),
  };
}
