/**
 * Where the real challenge files are (read-only): `../shared/fixtures/daredata` next to the
 * checkout, or PROPEL_REAL_DATA. Tests must never write there.
 */
import path from 'node:path';

export const REAL_DATA_DIR =
  process.env.PROPEL_REAL_DATA ?? path.resolve(__dirname, '../../../shared/fixtures/daredata');
