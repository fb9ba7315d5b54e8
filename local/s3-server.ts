/**
 * The embedded S3 server of the local backend (s3rver on 127.0.0.1), holding charts on disk
 * so a printed link opens the PNG in a browser.
 *
 * s3rver knows only its own dummy key; the local signer key is registered with it so that
 * links signed with that key are accepted. s3rver checks the key id and the expiry of a
 * presigned URL, never its signature: tests recompute signatures themselves.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import S3rver from 's3rver';
import { LocalFileError } from '../common/errors.ts';

const require = createRequire(import.meta.url);

interface S3rverAccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

export interface LocalS3 {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Rejects with the listen error (EADDRINUSE, EACCES) when 127.0.0.1:`port` cannot be bound.
 * s3rver cannot report it: its server's 'error' event has no listener and crashes the process.
 */
function probePort(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * The S3 data directory, created (owner only) when absent. A path s3rver cannot use (a file, no
 * permission) is a `LocalFileError` naming it; s3rver would fail with a bare ENOTDIR stack.
 */
async function dataDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await access(directory, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new LocalFileError(
      directory,
      `cannot hold the local S3 data (${code}): make it a directory you can write, or remove it.`,
      { cause },
    );
  }
}

/** The S3 server; rejects with the listen error when the port cannot be bound. */
export async function startLocalS3(options: {
  directory: string;
  port: number;
  bucket: string;
  /** Keys accepted besides s3rver's own (the local signer's). */
  keys: { accessKeyId: string; secretAccessKey: string }[];
}): Promise<LocalS3> {
  await probePort(options.port);
  await dataDirectory(options.directory);
  const accounts = require('s3rver/lib/models/account') as S3rverAccountModule;
  for (const key of options.keys) {
    accounts.DUMMY_ACCOUNT.createKeyPair(key.accessKeyId, key.secretAccessKey);
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: () => server.close(),
  };
}
