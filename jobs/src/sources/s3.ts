/**
 * A DataSource over `s3://bucket/prefix` (@aws-sdk/client-s3): streamed GetObject bodies, paginated
 * listings. Reads anonymously when asked (public buckets such as the challenge's) and falls back to
 * anonymous when the default credential chain finds no credentials. S3_ENDPOINT points it at an
 * S3-compatible server (path-style addressing).
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { badConfig, badInput } from '../errors';
import type { DataSource } from './source';

export interface S3Settings {
  endpoint?: string;
  region: string;
  /** Send unsigned requests (no credentials looked up). */
  anonymous: boolean;
  /** Keys per ListObjectsV2 page (S3's maximum, 1000, by default). */
  pageSize?: number;
}

/** Splits 's3://bucket/some/prefix/' into the bucket and the key prefix ('some/prefix', maybe ''). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw badConfig('DATA_SOURCE', `expected s3://bucket/prefix, got ${JSON.stringify(url)}`);
  return { bucket: match[1] as string, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

function createClient(settings: S3Settings, anonymous: boolean): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    // Unsigned requests: the SDK still resolves an identity before signing, so it gets a
    // placeholder that the no-op signer never uses; the request goes out without Authorization.
    ...(anonymous
      ? {
          credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
          signer: { sign: async (request) => request },
        }
      : {}),
  });
}

/** The default credential chain found nothing (no env keys, profile, SSO, container or instance role). */
const isMissingCredentials = (error: unknown) => error instanceof Error && error.name === 'CredentialsProviderError';

const isNotFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

export function s3Source(url: string, settings: S3Settings): DataSource {
  const { bucket, prefix } = parseS3Url(url);
  const root = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  const keyOf = (relativePath: string) => (prefix ? `${prefix}/${relativePath}` : relativePath);
  const locate = (relativePath: string) => `${root}/${relativePath}`;
  let client = createClient(settings, settings.anonymous);
  let anonymous = settings.anonymous;

  /** Sends with the current client; without credentials, switches to anonymous once and retries. */
  async function send<T>(call: (c: S3Client) => Promise<T>): Promise<T> {
    try {
      return await call(client);
    } catch (error) {
      if (anonymous || !isMissingCredentials(error)) throw error;
      client = createClient(settings, true);
      anonymous = true;
      return call(client);
    }
  }

  return {
    root,
    locate,
    async exists(relativePath) {
      try {
        await send((c) => c.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(relativePath) })));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async open(relativePath) {
      try {
        const response = await send((c) => c.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(relativePath) })));
        if (!(response.Body instanceof Readable)) throw new Error(`S3 returned no stream for ${locate(relativePath)}`);
        return response.Body;
      } catch (error) {
        if (isNotFound(error))
          throw badInput(`source file not found: ${locate(relativePath)}`, { file: locate(relativePath) });
        throw error;
      }
    },
    async list(listPrefix) {
      const out: string[] = [];
      const strip = prefix ? prefix.length + 1 : 0;
      await send(async (c) => {
        out.length = 0;
        for await (const page of paginateListObjectsV2(
          { client: c, pageSize: settings.pageSize },
          { Bucket: bucket, Prefix: keyOf(listPrefix) },
        )) {
          for (const object of page.Contents ?? []) {
            if (object.Key && !object.Key.endsWith('/')) out.push(object.Key.slice(strip));
          }
        }
      });
      return out.sort();
    },
  };
}
