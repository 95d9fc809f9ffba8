import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, requireDatabaseUrl, settings } from './config';
import { PropelError } from './errors';

describe('config', () => {
  it('when .env_template is read, then it documents every setting of the schema', () => {
    const template = fs.readFileSync(path.join(__dirname, '..', '..', '.env_template'), 'utf8');
    const documented = new Set([...template.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.values(settings)
      .map((s) => s.env)
      .filter((env) => !documented.has(env));
    expect(missing).toEqual([]);
  });

  it('when nothing is set, then every setting takes its default', () => {
    const config = loadConfig({});
    expect(config.dataSource).toBe('./data/source');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.s3Anonymous).toBe(false);
  });

  it('when a value is invalid, then the error names the env var', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    const error = (() => {
      try {
        loadConfig({ PROGRESS_INTERVAL_SECONDS: '-1' });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(PropelError);
    expect((error as PropelError).context.setting).toBe('PROGRESS_INTERVAL_SECONDS');
    expect((error as PropelError).exitCode).toBe(2);
  });

  it('when a job needs the database and DATABASE_URL is unset, then the error names it', () => {
    expect(() => requireDatabaseUrl(loadConfig({}))).toThrow(/DATABASE_URL/);
  });
});
