/**
 * Starts the worker thread of parallel-validation.ts without loading aws-cdk-lib on the calling thread (this module
 * imports only Node.js built-ins): bin/ starts it first, so the worker loads aws-cdk-lib and starts its validation
 * engine while the main thread is still loading the blueprint's modules (about 0.6 s earlier than after them).
 * ParallelCloudFormationValidation takes the started worker (`started`) or starts one itself.
 */
import { join } from 'path';
import { MessageChannel, MessagePort, Worker } from 'worker_threads';
import type { CloudFormationValidatePluginProps } from 'aws-cdk-lib';

/** A started validation worker, for ParallelCloudFormationValidation's `started` option. */
export interface StartedValidationWorker {
  readonly worker: Worker;
  /** Where the worker replies. */
  readonly port: MessagePort;
  /** Bumped by the worker after each reply (the main thread waits on it). */
  readonly signal: Int32Array;
  /** Props of the CloudFormationValidatePlugin the worker constructed. */
  readonly props: CloudFormationValidatePluginProps;
  /** The folder whose templates the worker was told to prewarm from at start, if any. */
  readonly prewarmedFrom?: string;
}

/** Options of startValidationWorker. */
export interface StartValidationWorkerOptions {
  /**
   * Props of the CloudFormationValidatePlugin the worker constructs.
   * @default {} (what aws-cdk-lib's own default instance uses)
   */
  readonly props?: CloudFormationValidatePluginProps;
  /**
   * The app's output folder: the worker starts its engine with the resource types of the templates an earlier synth
   * left there (only timing depends on it).
   * @default - no prewarm at start (ParallelCloudFormationValidation.attach sends the app's folder)
   */
  readonly prewarmFrom?: string;
}

/** Starts the worker; it never keeps the process alive. */
export function startValidationWorker(options: StartValidationWorkerOptions = {}): StartedValidationWorker {
  const props = options.props ?? {};
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const channel = new MessageChannel();
  const worker = new Worker(join(__dirname, 'validation-worker.js'), {
    workerData: { port: channel.port2, signal: signal.buffer, props },
    transferList: [channel.port2],
  });
  // Never keeps the process alive: bin/ exits when synth is done.
  worker.unref();
  channel.port1.unref();
  if (options.prewarmFrom !== undefined) worker.postMessage({ kind: 'prewarm-from', dir: options.prewarmFrom });
  return { worker, port: channel.port1, signal, props, prewarmedFrom: options.prewarmFrom };
}
