/** Picks the DataSource for DATA_SOURCE: s3://bucket/prefix or a local directory. */
import type { Config } from '../config';
import { localSource } from './local';
import { s3Source } from './s3';
import type { DataSource } from './source';

export type { DataSource } from './source';

export function openSource(config: Pick<Config, 'dataSource' | 's3Endpoint' | 's3Region' | 's3Anonymous'>): DataSource {
  if (config.dataSource.startsWith('s3://')) {
    return s3Source(config.dataSource, {
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      anonymous: config.s3Anonymous,
    });
  }
  return localSource(config.dataSource);
}
