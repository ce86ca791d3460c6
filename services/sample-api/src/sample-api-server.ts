import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { TlsCredentials } from './tls-certificate';

/** Props of a SampleApiServer. */
export interface SampleApiServerProps {
  /** Certificate and key (generateSelfSignedCertificate). */
  readonly tls: TlsCredentials;
  /** The routes (createRequestHandler). */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * How long a stop waits for requests in flight before closing their connections, in milliseconds.
   * @default 10000
   */
  readonly shutdownGraceMs?: number;
}

/**
 * Keep-alive on the task outlasts the load balancer's idle timeout (60 s by default), so the load
 * balancer, not the task, closes idle connections (otherwise it may reuse one the task just closed: 502).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The HTTPS server: TLS 1.2 or higher only (E3), bounded header and request times. */
export class SampleApiServer {
  public readonly server: Server;
  private readonly shutdownGraceMs: number;

  constructor(props: SampleApiServerProps) {
    this.shutdownGraceMs = props.shutdownGraceMs ?? 10_000;
    this.server = createServer({ cert: props.tls.cert, key: props.tls.key, minVersion: 'TLSv1.2' }, props.handler);
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
    this.server.requestTimeout = 30_000;
  }

  /**
   * Starts listening. Without `host`, Node listens on every address (IPv6 and IPv4 where the
   * kernel has IPv6, else IPv4), which the health check's `localhost` and the load balancer reach.
   */
  public listen(port: number, host?: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ port, host }, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to the grace period), then
   * closes what is left. Resolves when the server has closed.
   */
  public stop(): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => this.server.closeAllConnections(), this.shutdownGraceMs);
      force.unref();
      this.server.close(() => {
        clearTimeout(force);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}
