import { silent } from '../../test/harness';
import { trainModel, trainedSource } from '../../test/trained-model';
import { createMetrics } from '../observability/metrics';
import { ModelHolder } from './holder';

const disposed = (model: object) => (model as { disposed: boolean }).disposed;

describe('ModelHolder', () => {
  it('when a promotion lands during a request, then the request finishes on the old model, disposed after it', async () => {
    const [v1, v2] = [trainModel('v1'), trainModel('v2', { shift: 1 })];
    const source = trainedSource([v1, v2], 'v1');
    const holder = new ModelHolder(source, createMetrics({ defaultMetrics: false }), silent);
    await holder.refresh();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = holder.use(async (model) => {
      await gate;
      return model.predict([{ attr_a: 1, attr_b: 'c', scd_a: 0.5, scd_b: 1 }]).then(() => model.version);
    });
    source.champion = 'v2';
    await holder.refresh();
    expect(holder.current?.version).toBe('v2');
    expect(disposed(v1)).toBe(false);
    release();
    await expect(inFlight).resolves.toBe('v1');
    expect(disposed(v1)).toBe(true);
    expect(disposed(v2)).toBe(false);
  });

  it('when the new version fails to load, then the old one keeps serving and the failure is counted', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const source = trainedSource([trainModel('v1')], 'v1');
    const holder = new ModelHolder(source, metrics, silent);
    await holder.refresh();
    source.champion = 'missing';
    await holder.refresh();
    expect(holder.current?.version).toBe('v1');
    expect(holder.lastError).toMatch(/missing/);
    expect(await metrics.registry.metrics()).toMatch(
      /propel_model_loads_total\{outcome="failed",version="missing"\} 1/,
    );
  });

  it('when refreshes overlap, then the version is loaded once', async () => {
    const source = trainedSource([trainModel('v1')], 'v1');
    const holder = new ModelHolder(source, createMetrics({ defaultMetrics: false }), silent);
    await Promise.all([holder.refresh(), holder.refresh(), holder.refresh()]);
    expect(source.loads).toBe(1);
  });
});
