/** The S3 source against a real S3-compatible server (s3rver): same bytes and listing as the local source. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { loadConfig } from '../config';
import { PropelError } from '../errors';
import { generate } from '../synth/generate';
import { startS3, type TestS3 } from '../../test/s3';
import { openSource } from '.';
import { localSource } from './local';
import { parseS3Url, s3Source } from './s3';

const BUCKET = 'challenge-data';
const PREFIX = 'exports/v1';
const CREDENTIAL_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs `fn` with the AWS credential environment replaced by `vars` (the SDK's chain reads it). */
async function withAwsEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(CREDENTIAL_VARS.map((k) => [k, process.env[k]]));
  const nowhere = path.join(os.tmpdir(), 'propel-no-aws-config');
  for (const k of CREDENTIAL_VARS) delete process.env[k];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_CONFIG_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  });
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('s3Source', () => {
  let dir: string;
  let s3: TestS3;
  let uploaded: string[];
  const local = () => localSource(path.join(dir, 'source'));
  const remote = (options: { anonymous?: boolean; pageSize?: number } = {}) =>
    s3Source(`s3://${BUCKET}/${PREFIX}/`, {
      endpoint: s3.endpoint,
      region: 'eu-west-1',
      anonymous: options.anonymous ?? true,
      pageSize: options.pageSize,
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-s3-source-'));
    const paths = {
      source: path.join(dir, 'source'),
      pool: path.join(dir, 'pool'),
      manifest: path.join(dir, 'm.json'),
    };
    await generate(
      { customers: 400, months: 3, startMonth: '2021-05', salesPerMonth: 3000, seed: 11, released: 3 },
      paths,
    );
    s3 = await startS3([BUCKET]);
    uploaded = await s3.upload(paths.source, BUCKET, PREFIX);
  });

  afterAll(async () => {
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a bucket URL is parsed, then bucket and prefix are split and slashes trimmed', () => {
    expect(parseS3Url('s3://daredata-technical-challenge-data')).toEqual({
      bucket: 'daredata-technical-challenge-data',
      prefix: '',
    });
    expect(parseS3Url('s3://my.bucket/a/b/')).toEqual({ bucket: 'my.bucket', prefix: 'a/b' });
    expect(() => parseS3Url('s3://')).toThrow(/DATA_SOURCE/);
  });

  it('when listing page by page, then S3 lists the same relative paths as the local directory', async () => {
    const salesLocal = await local().list('sales/');
    expect(salesLocal).toHaveLength(3);
    expect(await remote({ pageSize: 2 }).list('sales/')).toEqual(salesLocal);
    expect(await remote({ pageSize: 2 }).list('')).toEqual(await local().list(''));
    expect(uploaded).toEqual(await local().list(''));
  });

  it('when every file is opened, then S3 streams exactly the bytes of the local file', async () => {
    for (const file of uploaded) {
      const [fromS3, fromDisk] = await Promise.all([
        remote().open(file).then(bytesOf),
        local().open(file).then(bytesOf),
      ]);
      expect(fromS3.length).toBeGreaterThan(0);
      expect(fromS3.equals(fromDisk)).toBe(true);
    }
  });

  it('when a key is missing, then exists is false and open is BAD_INPUT naming the s3:// location', async () => {
    const source = remote();
    expect(await source.exists('sales/2021-05-01/sales.csv')).toBe(true);
    expect(await source.exists('sales/1999-01-01/sales.csv')).toBe(false);
    const error = await source.open('sales/1999-01-01/sales.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PropelError);
    expect((error as PropelError).exitCode).toBe(2);
    expect((error as PropelError).message).toContain(`s3://${BUCKET}/${PREFIX}/sales/1999-01-01/sales.csv`);
    expect((error as PropelError).context.file).toBe(`s3://${BUCKET}/${PREFIX}/sales/1999-01-01/sales.csv`);
  });

  it('when S3_ANONYMOUS is true, then requests are unsigned: wrong credentials in the environment do not matter', async () => {
    await withAwsEnv({ AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'WRONG' }, async () => {
      // The same credentials used to sign are refused by the server, so the anonymous read really is unsigned.
      await expect(remote({ anonymous: false }).list('sales/')).rejects.toThrow(/access key|InvalidAccessKeyId/i);
      expect(await remote({ anonymous: true }).list('sales/')).toHaveLength(3);
    });
  });

  it('when the credential chain finds nothing, then the source falls back to anonymous reads', async () => {
    await withAwsEnv({}, async () => {
      const source = remote({ anonymous: false });
      expect(await source.list('sales/')).toHaveLength(3);
      const bytes = await bytesOf(await source.open('labels.csv'));
      expect(bytes.toString('utf8').split('\n')[0]).toBe('idx,label');
    });
  });

  it('when credentials are valid, then signed requests read the same files', async () => {
    await withAwsEnv({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' }, async () => {
      expect(await remote({ anonymous: false }).list('sales/')).toEqual(await local().list('sales/'));
    });
  });

  it('when DATA_SOURCE is an s3:// URL, then openSource reads S3 with the S3 settings of the config', async () => {
    const config = loadConfig({
      DATA_SOURCE: `s3://${BUCKET}/${PREFIX}`,
      S3_ENDPOINT: s3.endpoint,
      S3_ANONYMOUS: 'true',
    });
    const source = openSource(config);
    expect(source.root).toBe(`s3://${BUCKET}/${PREFIX}`);
    expect(await source.list('sales/')).toEqual(await local().list('sales/'));
  });
});
