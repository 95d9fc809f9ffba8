/**
 * TensorFlow.js backend selection: tfjs-node (native, an optional dependency that does not install
 * everywhere), then WebAssembly, then plain JavaScript. The backend used is logged and stored in
 * each model's lineage.
 */
import * as tf from '@tensorflow/tfjs';
import type { Logger } from 'pino';

export type BackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'node', 'wasm', 'cpu'];

let ready: Promise<string> | undefined;
let readyFor: BackendPreference | undefined;

async function tryNode(): Promise<boolean> {
  try {
    const name = '@tensorflow/tfjs-node';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(preference: BackendPreference, logger?: Logger): Promise<string> {
  const order: BackendPreference[] = preference === 'auto' ? ['node', 'wasm', 'cpu'] : [preference];
  for (const candidate of order) {
    const ok =
      candidate === 'node' ? await tryNode() : candidate === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      const used = tf.getBackend();
      logger?.info({ backend: used, preference }, 'tensorflow.js backend');
      return used;
    }
    logger?.info({ backend: candidate }, 'tensorflow.js backend not available');
  }
  throw new Error(`tensorflow.js backend '${preference}' is not available`);
}

/** Selects the backend once per process (a different preference switches); returns its name. */
export function initBackend(preference: BackendPreference = 'auto', logger?: Logger): Promise<string> {
  if (!ready || readyFor !== preference) {
    readyFor = preference;
    ready = select(preference, logger);
    ready.catch(() => {
      ready = undefined;
      readyFor = undefined;
    });
  }
  return ready;
}
