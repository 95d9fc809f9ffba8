/** Where the challenge files come from: a local directory or an S3 prefix, read as streams. */
import type { Readable } from 'node:stream';

export interface DataSource {
  /** Human-readable root, e.g. './data/source' or 's3://bucket/prefix'. */
  readonly root: string;
  /** Full location of a relative path, for messages: './data/source/sales/2020-01-01/sales.csv'. */
  locate(relativePath: string): string;
  /** true when the file exists. */
  exists(relativePath: string): Promise<boolean>;
  /**
   * The file as a byte stream (never loaded whole). A missing file is BAD_INPUT naming the full
   * expected location.
   */
  open(relativePath: string): Promise<Readable>;
  /** Relative paths of the files under a prefix (e.g. 'sales/'), sorted. */
  list(prefix: string): Promise<string[]>;
}
