/**
 * aws-cdk-lib's built-in CloudFormation validation, run in a worker thread beside the synth instead of after it.
 *
 * `cdk synth` runs the built-in validation (CloudFormationValidatePlugin: a WebAssembly engine that checks every
 * template against the CloudFormation resource schemas and rules) as the last validation plugin, on the main
 * thread: starting its engine takes about 1.3 s and loading the schemas of the blueprint's ~80 resource types
 * about 0.5 s more, all after the rule packs. Here the same plugin, constructed with the same props, runs in a
 * worker thread (validation-worker.js):
 *   1. the worker starts with the app (before any construct exists) and loads aws-cdk-lib and the engine module;
 *   2. once the construct tree is built, `prewarm` sends it the tree's resource types: the worker starts the
 *      engine and loads those schemas (on a throw-away template) while the main thread synthesizes;
 *   3. the first validation plugin (`starter`, registered before the rule packs) hands the written templates to
 *      the worker, which validates them while the rule packs run;
 *   4. the last plugin (`finisher`, a CloudFormationValidatePlugin, so aws-cdk-lib does not add its own) waits for
 *      the worker's report and returns it unchanged: same plugin name, same rules, same severities, same
 *      downgrade of errors to warnings unless the validate flag is set, same suppressions.
 * It fails closed: a worker that does not load, throws, or does not answer within the timeout makes the finisher
 * throw, which aws-cdk-lib reports as a failed validation plugin, and synth fails.
 *
 * Only bin/ decides whether it runs (CDK_VALIDATION=false turns the built-in validation off, as aws-cdk-lib does).
 */
import { join } from 'path';
import { receiveMessageOnPort, MessagePort, Worker } from 'worker_threads';
import {
  App,
  CfnResource,
  CloudFormationValidatePlugin,
  CloudFormationValidatePluginProps,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  ISynthesisSession,
  NestedStack,
  PolicyValidationPluginReport,
  PolicyValidationStack,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StartedValidationWorker, startValidationWorker } from './validation-worker-start';
import { overrideOwnMethod } from '../gate/core/render-overrides';

/** Resource types CDK adds to templates during synth, after the construct tree is built. */
const SYNTH_TIME_TYPES = ['AWS::CDK::Metadata'];

/** How long the worker may take to load aws-cdk-lib and the plugin (about a second on 2 cores). */
const STARTUP_TIMEOUT_MS = 60_000;

/** Options of ParallelCloudFormationValidation. */
export interface ParallelCloudFormationValidationOptions {
  /**
   * Props of the CloudFormationValidatePlugin the worker constructs.
   * @default {} (what aws-cdk-lib's own default instance uses)
   */
  readonly props?: CloudFormationValidatePluginProps;
  /**
   * How long the finisher waits for the worker's report before failing synth.
   * @default 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * A worker already started with startValidationWorker (bin/ starts it before loading the blueprint's modules); its
   * props are used and `props` must not be given.
   * @default - the worker is started here
   */
  readonly started?: StartedValidationWorker;
}

/** What the worker said about the last validation (for the bench and tests). */
export interface ParallelValidationStats {
  /** The engine the prewarm started served the real validation (no second engine start). */
  readonly engineReused: boolean;
  /**
   * What the engine was prewarmed with: the types of the templates a previous synth left in the output folder, the
   * construct tree's types, or nothing.
   */
  readonly prewarmedFrom: 'previous-templates' | 'construct-tree' | 'none';
  /** Milliseconds the finisher waited for the worker (0 when the report was already there). */
  readonly waitedMs: number;
  /**
   * The report was built from the templates the worker validated one by one as synth wrote them (before the validation
   * plugins ran), every one unchanged since.
   */
  readonly fromWrittenTemplates: boolean;
  /** Templates the validation covered. */
  readonly templates: number;
  /** Violations in its report (warnings unless aws-cdk-lib's validate flag makes them errors, which fail synth). */
  readonly violations: number;
}

type WorkerReply =
  | { kind: 'ready'; version?: string; error?: string }
  | {
      kind: 'result';
      id: number;
      report: PolicyValidationPluginReport;
      reused: boolean;
      prewarmedFrom: ParallelValidationStats['prewarmedFrom'];
      early: boolean;
    }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'written' };

/** One validation sent to the worker. */
interface Job {
  readonly id: number;
  readonly key: string;
  readonly app: unknown;
  readonly templates: number;
}

/** The plain-data part of a validation context (what can cross to the worker). */
function transferable(context: IPolicyValidationContext): object {
  return {
    templatePaths: [...context.templatePaths],
    stackTemplates: context.stackTemplates.map((s) => ({
      stackConstructPath: s.stackConstructPath,
      templatePath: s.templatePath,
      accountId: s.accountId,
      region: s.region,
    })),
    accountId: context.accountId,
    region: context.region,
  };
}

/** The templates a context covers, as one comparable key. */
const contextKey = (context: IPolicyValidationContext): string =>
  JSON.stringify(context.stackTemplates.map((s) => [s.stackConstructPath, s.templatePath, s.accountId, s.region]));

/**
 * The built-in CloudFormation validation in a worker thread. Construct it as early as possible (before the app's
 * constructs), then `attach(app)` before building the constructs and `prewarm(app)` after.
 */
export class ParallelCloudFormationValidation {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  /** The folder the worker was told to prewarm from when it started. */
  private readonly prewarmedFrom?: string;
  private readonly timeoutMs: number;
  private readonly props: CloudFormationValidatePluginProps;
  private nextId = 1;
  private started?: Job;
  private version?: string;
  private loadError?: string;
  private crashed?: string;
  private readonly results = new Map<number, WorkerReply>();
  private lastStats?: ParallelValidationStats;
  private lastFailure?: string;
  /** Templates handed to the worker as written, and how many of those it has handled. */
  private writtenSent = 0;
  private writtenHandled = 0;

  constructor(options: ParallelCloudFormationValidationOptions = {}) {
    if (options.started !== undefined && options.props !== undefined) {
      throw new Error('ParallelCloudFormationValidation: props belong to the started worker (startValidationWorker)');
    }
    this.timeoutMs = options.timeoutMs ?? 300_000;
    const started = options.started ?? startValidationWorker({ props: options.props });
    this.worker = started.worker;
    this.port = started.port;
    this.signal = started.signal;
    this.props = started.props;
    this.prewarmedFrom = started.prewarmedFrom;
  }

  /**
   * Registers the two plugins on the app: the starter now (call this before the rule packs are registered, so it
   * runs first) and the finisher, which must run last: call `attach` before building the blueprint and
   * `prewarm` after (prewarm registers the finisher).
   */
  attach(app: IConstruct): void {
    Validations.of(app).addPlugins(this.starter());
    // Repeated synths into the same folder (the usual case) already know their resource types: the worker starts the
    // engine with those of the templates a previous synth left there, while the constructs are built. Only timing
    // depends on it; prewarm() checks the construct tree's types and starts another engine when they differ.
    if (app instanceof App && app.outdir !== this.prewarmedFrom) {
      this.worker.postMessage({ kind: 'prewarm-from', dir: app.outdir });
    }
  }

  /**
   * Sends the worker the resource types of the built construct tree (it starts the engine and loads their
   * schemas meanwhile) and registers the finisher after every other plugin registered so far.
   */
  prewarm(app: IConstruct): void {
    const types = new Set(SYNTH_TIME_TYPES);
    for (const c of app.node.findAll()) {
      if (CfnResource.isCfnResource(c)) types.add(c.cfnResourceType);
      else if (Stack.isStack(c) && !NestedStack.isNestedStack(c)) this.reportWrittenTemplate(c);
    }
    this.worker.postMessage({ kind: 'prewarm', types: [...types].sort() });
    Validations.of(app).addPlugins(this.finisher());
  }

  /**
   * Tells the worker when synth has written `stack`'s template, so that it validates it then, while synth goes on,
   * rather than after all of them are written (the validation plugins run last). The stack entry is the one aws-cdk-lib
   * gives the plugins (synthesis-validation.js: the artifact's display name, its template's full path, its account
   * and region unless unknown); the worker uses the early report only when the final context has the same entry and
   * the file the same text. Wraps this stack's own `_synthesizeTemplate` (aws-cdk-lib's, which writes the file).
   */
  private reportWrittenTemplate(stack: Stack): void {
    const target = stack as unknown as {
      _synthesizeTemplate?: (session: ISynthesisSession, ...rest: unknown[]) => unknown;
    };
    const write = target._synthesizeTemplate;
    if (typeof write !== 'function') return; // another aws-cdk-lib: the worker validates at the end, as before
    const known = (value: string): string | undefined => (Token.isUnresolved(value) ? undefined : value);
    // Vouched for as the blueprint's own (render-overrides.ts): it writes what aws-cdk-lib's method writes.
    overrideOwnMethod(stack, '_synthesizeTemplate', (session: ISynthesisSession, ...rest: unknown[]): unknown => {
      const result = write.call(stack, session, ...rest);
      this.templateWritten({
        stackConstructPath: stack.node.path,
        templatePath: join(session.assembly.outdir, stack.templateFile),
        accountId: known(stack.account),
        region: known(stack.region),
      });
      return result;
    });
  }

  /**
   * Hands the worker a template synth has written (prewarm wires each stack's template writing to it): the worker
   * validates it now, and uses that report when the validation's context holds the same entry and the file the same
   * text.
   */
  templateWritten(entry: PolicyValidationStack): void {
    this.writtenSent++;
    this.worker.postMessage({ kind: 'written', stackTemplate: { ...entry } });
  }

  /**
   * Waits (up to `timeoutMs`) until the worker has handled every template handed to it with templateWritten; false if
   * it has not by then. Synth never needs it (the worker handles messages in order); tests do, to change a file after.
   */
  writtenTemplatesHandled(timeoutMs = 60_000): boolean {
    return this.waitFor(() => this.writtenHandled >= this.writtenSent, Date.now() + timeoutMs);
  }

  /** What happened in the last validation; undefined before one finished. */
  get stats(): ParallelValidationStats | undefined {
    return this.lastStats;
  }

  /**
   * Why the last validation did not run to a report (the worker did not start, threw or did not answer); undefined
   * when it returned one. synthesizeEnvironment fails synth on it, whatever aws-cdk-lib makes of the plugin failure
   * (it would pass one when `@aws-cdk/core:validateAgainstDefaultRules` is off, or only set the exit code in
   * `process` app mode).
   */
  get failure(): string | undefined {
    return this.lastFailure;
  }

  /** Stops the worker (tests; bin/ simply exits). */
  async dispose(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private start(context: IPolicyValidationContext): Job {
    const id = this.nextId++;
    this.lastFailure = undefined;
    this.lastStats = undefined;
    this.worker.postMessage({ kind: 'validate', id, context: transferable(context) });
    return { id, key: contextKey(context), app: context.appConstruct, templates: context.templatePaths.length };
  }

  /** Reads every reply the worker has sent so far. */
  private drain(): void {
    for (let r = receiveMessageOnPort(this.port); r !== undefined; r = receiveMessageOnPort(this.port)) {
      const reply = r.message as WorkerReply;
      if (reply.kind === 'ready') {
        this.version = reply.version;
        this.loadError = reply.error;
      } else if (reply.kind === 'written') {
        this.writtenHandled++;
      } else if (reply.kind === 'error' && reply.id === -1) {
        this.crashed = reply.message;
      } else {
        this.results.set(reply.id, reply);
      }
    }
  }

  /**
   * Blocks until `done()` holds or `deadline` passes (false then). The worker bumps the signal after each reply, so
   * the wait wakes as soon as there is something to read (and at least every 100 ms).
   */
  private waitFor(done: () => boolean, deadline: number): boolean {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      this.drain();
      if (done()) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      Atomics.wait(this.signal, 0, seen, Math.min(remaining, 100));
    }
  }

  private fail(message: string): Error {
    this.lastFailure = `the CloudFormation validation ${message}`;
    return new Error(this.lastFailure);
  }

  /** Waits for the worker to say it loaded the plugin (up to a minute); false when it did not. */
  private loaded(began: number): boolean {
    const deadline = began + Math.min(this.timeoutMs, STARTUP_TIMEOUT_MS);
    return this.waitFor(
      () => this.version !== undefined || this.loadError !== undefined || this.crashed !== undefined,
      deadline,
    );
  }

  /** The plugin version the worker loaded (waits for it to load); 'unknown' when it did not. */
  private pluginVersion(): string {
    if (this.version === undefined && this.loadError === undefined) this.loaded(Date.now());
    return this.version ?? 'unknown';
  }

  /**
   * The worker's report for job `id`: blocks (Atomics.wait) up to the timeout, or up to a minute when the worker has
   * not even said it loaded (a worker that cannot start runs none of its code).
   */
  private await(job: Job): PolicyValidationPluginReport {
    const id = job.id;
    const began = Date.now();
    if (!this.loaded(began)) {
      throw this.fail(`worker did not start within ${Math.min(this.timeoutMs, STARTUP_TIMEOUT_MS)} ms`);
    }
    if (this.loadError !== undefined) throw this.fail(`worker could not load the plugin: ${this.loadError}`);
    if (!this.waitFor(() => this.results.has(id) || this.crashed !== undefined, began + this.timeoutMs)) {
      throw this.fail(`worker did not answer within ${this.timeoutMs} ms`);
    }
    const reply = this.results.get(id);
    this.results.delete(id);
    if (reply === undefined) throw this.fail(`failed in its worker: ${this.crashed}`);
    if (reply.kind === 'error') throw this.fail(`failed in its worker: ${reply.message}`);
    if (reply.kind !== 'result') throw this.fail(`worker sent an unexpected reply (${reply.kind})`);
    this.lastStats = {
      engineReused: reply.reused,
      prewarmedFrom: reply.prewarmedFrom,
      waitedMs: Date.now() - began,
      fromWrittenTemplates: reply.early,
      templates: job.templates,
      violations: reply.report.violations.length,
    };
    return reply.report;
  }

  private starter(): IPolicyValidationPlugin {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const parallel = this;
    return {
      name: 'CloudFormation Validate (started in a worker)',
      ruleIds: [],
      get version(): string {
        return parallel.pluginVersion();
      },
      validate: (context: IPolicyValidationContext): PolicyValidationPluginReport => {
        this.started = this.start(context);
        return { success: true, violations: [] };
      },
    };
  }

  private finisher(): CloudFormationValidatePlugin {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const parallel = this;
    /** aws-cdk-lib's plugin class, so that aws-cdk-lib treats the report as its own and adds no second one. */
    class WorkerCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
      override get version(): string {
        return parallel.pluginVersion();
      }

      override get ruleIds(): string[] {
        return [this.version];
      }

      override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
        const started = parallel.started;
        const job =
          started !== undefined && started.key === contextKey(context) && started.app === context.appConstruct
            ? started
            : parallel.start(context);
        parallel.started = undefined;
        return parallel.await(job);
      }
    }
    return new WorkerCloudFormationValidatePlugin(this.props);
  }
}
