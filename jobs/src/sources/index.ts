/** Picks the DataSource for DATA_SOURCE: s3://bucket/prefix or a local directory. */
import type { Config } from '../config';
import { localSource } from './local';
import type { DataSource } from './source';

export type { DataSource } from './source';

export function openSource(config: Pick<Config, 'dataSource'>): DataSource {
  if (config.dataSource.startsWith('s3://')) {
    throw new Error('S3 data source not implemented yet');
  }
  return localSource(config.dataSource);
}
