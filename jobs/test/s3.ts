/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1, port 0, data in a temp directory, in
 * its own Node process (see s3rver-process.js for why). Files are uploaded with signed requests
 * (s3rver's own credentials S3RVER/S3RVER).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

/** s3rver's built-in access key: signed requests with other keys are refused. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  /** Uploads every file under `dir` to s3://bucket/prefix/<relative path>. */
  upload(dir: string, bucket: string, prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startS3(buckets: string[]): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-s3rver-'));
  const server = spawn(
    process.execPath,
    ['--openssl-legacy-provider', path.join(__dirname, 's3rver-process.js'), JSON.stringify({ directory, buckets })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(server, 'exit');
  const lines = readline.createInterface({ input: server.stdout });
  const [firstLine] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [string?];
  if (firstLine === undefined) throw new Error('s3rver did not start');
  const address = JSON.parse(firstLine) as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ region: 'eu-west-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    async upload(dir, bucket, prefix) {
      const files = (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .map((f) => f.split(path.sep).join('/'))
        .sort();
      for (const file of files) {
        const key = prefix ? `${prefix}/${file}` : file;
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(path.join(dir, file)) }),
        );
      }
      return files;
    },
    async close() {
      client.destroy();
      lines.close();
      server.kill('SIGTERM');
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
