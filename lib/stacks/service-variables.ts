/**
 * The configuration every service receives (the variables services/sample-api/README.md lists), mapped from
 * config. AppStack stores them as Parameter Store parameters (ServiceConfiguration) and PhiService injects them
 * through the task definition's `secrets`. A service that needs other values reads its own; these are the
 * blueprint's side of the contract.
 */
import { accessAuditStreamName, BlueprintConfig, ServiceConfig, ServiceRouting } from '../config';

/**
 * The database every service connects to: the instance's default database, where DatabaseUsers creates each
 * service's user and schema (its `databaseName` default).
 */
export const SERVICE_DATABASE_NAME = 'postgres';

/** A listener path pattern whose requests all start with one fixed prefix: `/seg[/seg...]/*`. */
const PREFIX_PATTERN = /^((?:\/[a-z0-9][a-z0-9-]*)+)\/\*$/;

/**
 * BASE_PATH of a service from its route: the load balancer does not strip prefixes, so a service routed
 * `/api/*` serves its routes under `/api`. Undefined (the service's root) for `/*`, a host-only route, or a
 * pattern that is not one fixed prefix followed by `/*` (e.g. `/api*`): such a service must find its own prefix.
 */
export function basePathOf(routing: ServiceRouting): string | undefined {
  const match = routing.pathPattern === undefined ? null : PREFIX_PATTERN.exec(routing.pathPattern);
  return match ? match[1] : undefined;
}

/**
 * The variables of one service, by name. `databaseEndpoint` is the data stack's database endpoint (a token).
 *
 * AUDIT_STREAM_NAME names the service's access-audit Firehose stream (U5): the audit stack's AccessAuditChannel
 * creates it under that name, and the app stack's AccessAuditAppendPolicy lets the task role append to it only.
 */
export function serviceVariables(
  config: BlueprintConfig,
  service: ServiceConfig,
  databaseEndpoint: string,
): Record<string, string> {
  const basePath = basePathOf(service.routing);
  return {
    DB_HOST: databaseEndpoint,
    DB_PORT: String(config.network.databasePort),
    DB_NAME: SERVICE_DATABASE_NAME,
    // IAM database authentication as the service's own user (DatabaseUsers creates it, named after the service).
    DB_USER: service.name,
    PORT: String(service.containerPort),
    SERVICE_NAME: service.name,
    ...(basePath !== undefined ? { BASE_PATH: basePath } : {}),
    AUDIT_STREAM_NAME: accessAuditStreamName(config, service.name),
  };
}
