/**
 * Entry point of the sample service (the image runs `node main.js`, bundled by esbuild). Reads its
 * configuration from its own environment, exits with one line naming the variable when it is
 * missing or malformed (before listening), then serves HTTPS until SIGTERM (how ECS stops a task).
 */
import { AccessAuditWriter, FirehoseAuditSink, errorName } from './access-audit';
import { ConfigError, ServiceConfig, parseConfig } from './config';
import { createDatabasePool, iamTokenProvider, readCaBundle } from './database-pool';
import { PostgresRecordStore } from './postgres-record-store';
import { createRequestHandler } from './request-handler';
import { jsonLineLogger } from './request-log';
import { SampleApiServer } from './sample-api-server';
import { generateSelfSignedCertificate } from './tls-certificate';

/** Error class and system code (EADDRINUSE, EACCES...), never the message. */
function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? `${errorName(err)} ${code}` : errorName(err);
}

function fail(message: string): never {
  process.stderr.write(`sample-api: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ServiceConfig;
  let ca: string;
  try {
    config = parseConfig(process.env);
    ca = readCaBundle(config.database.caBundlePath);
  } catch (err) {
    fail(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  }

  const logger = jsonLineLogger();
  const pool = createDatabasePool(config, iamTokenProvider(config), ca);
  // An idle connection that breaks must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger.event('database connection error', { error: errorName(err) }));
  const audit = new AccessAuditWriter({
    sink: new FirehoseAuditSink({ deliveryStreamName: config.audit.streamName, region: config.region }),
    service: config.serviceName,
    timeoutMs: config.audit.timeoutMs,
  });
  const handler = createRequestHandler({
    records: new PostgresRecordStore({ pool, schema: config.database.user }),
    audit,
    logger,
    basePath: config.basePath,
  });
  const server = new SampleApiServer({ tls: await generateSelfSignedCertificate(), handler });
  const address = await server.listen(config.port);
  logger.event('listening', { port: address.port });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.event('stopping', { signal });
    server
      .stop()
      .then(() => pool.end())
      .then(
        () => {
          logger.event('stopped', { signal });
          process.exit(0);
        },
        (err: unknown) => {
          logger.event('stop failed', { error: errorName(err) });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// Unexpected failures: the error class only (a message or stack may carry request data).
process.on('unhandledRejection', (err) => fail(`unhandled rejection (${describe(err)})`));
process.on('uncaughtException', (err) => fail(`uncaught exception (${describe(err)})`));

main().catch((err: unknown) => fail(`could not start (${describe(err)})`));
