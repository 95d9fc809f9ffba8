// Runs s3rver in its own Node process for the tests (started by test/s3.ts with --openssl-legacy-provider:
// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its legacy
// provider). Prints {"port":N} once listening; stops on SIGTERM or when stdin closes.
'use strict';
const S3rver = require('s3rver');

const { directory, buckets } = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});

const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

server.run().then((address) => process.stdout.write(`${JSON.stringify({ port: address.port })}\n`));
