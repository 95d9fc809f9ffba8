/** A DataSource over a local directory. */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { badInput } from '../errors';
import type { DataSource } from './source';

export function localSource(root: string): DataSource {
  const locate = (relativePath: string) => path.join(root, relativePath);
  return {
    root,
    locate,
    async exists(relativePath) {
      try {
        return (await fs.promises.stat(locate(relativePath))).isFile();
      } catch {
        return false;
      }
    },
    async open(relativePath): Promise<Readable> {
      const file = locate(relativePath);
      try {
        await fs.promises.access(file, fs.constants.R_OK);
      } catch {
        throw badInput(`source file not found: ${file}`, { file });
      }
      return fs.createReadStream(file, { highWaterMark: 1 << 20 });
    },
    async list(prefix) {
      const base = locate(prefix);
      const out: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        let entries: fs.Dirent[];
        try {
          entries = await fs.promises.readdir(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const entry of entries) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile()) out.push(path.relative(root, full).split(path.sep).join('/'));
        }
      };
      await walk(base);
      return out.sort();
    },
  };
}
