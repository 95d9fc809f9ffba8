import { silent } from '../../test/harness';
import { modelPackage, promoteTestModel, registerTestModel } from '../../test/models';
import { useTestDatabase } from '../../../jobs/test/database';
import { createMetrics } from '../observability/metrics';
import { ModelHolder } from './holder';
import type { ServingModel } from './port';
import { registrySource } from './sources';

const ROW = { attr_a: 1, attr_b: 'c', scd_a: 0.5, scd_b: 1 };

describe('ModelHolder on the registry', () => {
  const testDb = useTestDatabase('api_holder');

  /** The registry source, counting loads and keeping every model it handed out. */
  function countingSource() {
    const { db, url } = testDb();
    const source = registrySource(modelPackage, db, url, silent);
    const loaded: ServingModel[] = [];
    const load = source.load.bind(source);
    source.load = async (version) => {
      const model = await load(version);
      loaded.push(model);
      return model;
    };
    return { source, loaded };
  }

  beforeAll(async () => {
    const { db } = testDb();
    await registerTestModel(db, 'v1');
    await registerTestModel(db, 'v2', { seed: 11, shift: 1 });
  });

  beforeEach(() => promoteTestModel(testDb().db, 'v1'));

  it('when a promotion lands during a request, then the request finishes on the old model, disposed after it', async () => {
    const { source, loaded } = countingSource();
    const holder = new ModelHolder(source, createMetrics({ defaultMetrics: false }), silent);
    await holder.refresh();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = holder.use(async (model) => {
      await gate;
      return model.predict([ROW]).then(() => model.version);
    });
    await promoteTestModel(testDb().db, 'v2');
    await holder.refresh();
    expect(holder.current?.version).toBe('v2');
    const [v1, v2] = loaded as [ServingModel, ServingModel];
    await expect(v1.predict([ROW])).resolves.toHaveLength(1); // still usable: a request holds it
    release();
    await expect(inFlight).resolves.toBe('v1');
    await expect(v1.predict([ROW])).rejects.toThrow(/dispos/i);
    await expect(v2.predict([ROW])).resolves.toHaveLength(1);
    await holder.stop();
  });

  it('when the new version fails to load, then the old one keeps serving and the failure is counted', async () => {
    const { db } = testDb();
    await db('model_versions').insert({
      version: 'corrupt',
      kind: 'logreg',
      artifact: JSON.stringify({ format: 'propel-model/1' }),
      metrics: '{}',
      params: '{}',
      lineage: '{}',
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const holder = new ModelHolder(countingSource().source, metrics, silent);
    await holder.refresh();
    await promoteTestModel(db, 'corrupt');
    await holder.refresh();
    expect(holder.current?.version).toBe('v1');
    expect(holder.lastError).toBeTruthy();
    expect(await metrics.registry.metrics()).toMatch(
      /propel_model_loads_total\{outcome="failed",version="corrupt"\} 1/,
    );
    await holder.stop();
  });

  it('when refreshes overlap, then the version is loaded once', async () => {
    const { source, loaded } = countingSource();
    const holder = new ModelHolder(source, createMetrics({ defaultMetrics: false }), silent);
    await Promise.all([holder.refresh(), holder.refresh(), holder.refresh()]);
    expect(loaded).toHaveLength(1);
    await holder.stop();
  });
});
