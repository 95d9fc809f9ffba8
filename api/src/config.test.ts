import fs from 'node:fs';
import path from 'node:path';
import { PropelError } from '@propel/jobs/dist/errors';
import { apiSettings, loadApiConfig } from './config';

describe('api config', () => {
  it('when .env_template is read, then it documents every setting of the api schema', () => {
    const template = fs.readFileSync(path.join(__dirname, '..', '..', '.env_template'), 'utf8');
    const documented = new Set([...template.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(
      Object.values(apiSettings)
        .map((s) => s.env)
        .filter((env) => !documented.has(env)),
    ).toEqual([]);
  });

  it('when nothing is set, then the defaults apply: port 5000, no keys, registry source', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({ port: 5000, apiKeys: [], maxBatch: 1000, predictionLog: 'auto' });
    expect(config.modelDir).toBeUndefined();
  });

  it('when API_KEYS lists keys, then they are split and trimmed', () => {
    expect(loadApiConfig({ API_KEYS: ' a, b ,,c' }).apiKeys).toEqual(['a', 'b', 'c']);
  });

  it('when a value is invalid, then the error names the env var', () => {
    expect(() => loadApiConfig({ MAX_BATCH: '0' })).toThrow(PropelError);
    expect(() => loadApiConfig({ PREDICTION_LOG: 'kafka' })).toThrow(/PREDICTION_LOG/);
    expect(() => loadApiConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
