import { FARGATE_MEMORY_BY_CPU, MIN_CONTAINER_PORT, WORKLOAD_NAME } from '../../constructs/phi-service';

export { FARGATE_MEMORY_BY_CPU, MIN_CONTAINER_PORT };
/** Service names: the PhiService workload name rule. */
export const SERVICE_NAME = WORKLOAD_NAME;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** How the load balancer routes requests to a service (part B builds the listener rule). */
export interface ServiceRouting {
  /**
   * Path pattern of the listener rule, e.g. '/api/*'.
   * @default - none (hostHeader must be set)
   */
  readonly pathPattern?: string;
  /**
   * Host header of the listener rule, e.g. 'api.example.org'.
   * @default - none (pathPattern must be set)
   */
  readonly hostHeader?: string;
  /** Listener rule priority, 1-50000, unique across services (lower wins). */
  readonly priority: number;
}

/**
 * One containerised PHI workload on Fargate (safeguards A3, E3, I3, U3, U4). Its image lives in the
 * service's private ECR repository; the container serves HTTPS on containerPort (end-to-end TLS, E3)
 * and answers GET /health.
 */
export interface ServiceConfig {
  /** Lower-case kebab name, 2-24 characters; names the repository, log group and construct ids. */
  readonly name: string;
  /** Image tag to run from the service's repository (tags are immutable: a new release is a new tag). */
  readonly imageTag: string;
  /** Port the container serves HTTPS on, 1024-65535 (the container runs as a non-root user). */
  readonly containerPort: number;
  /** Fargate task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Fargate task memory in MiB; must be a valid combination with cpu. */
  readonly memoryMiB: number;
  /** Tasks to run (autoscaling minimum); at least 2 in production so the service spans AZs (I3). */
  readonly desiredCount: number;
  /** Load balancer routing to this service. */
  readonly routing: ServiceRouting;
  /**
   * True for the first deploy of a new service, before its image tag is in the repository: the
   * service is created with zero tasks and autoscaling 0-0, so CloudFormation does not wait on tasks
   * that cannot pull an image. Push the image, set false, deploy again.
   * @default false
   */
  readonly awaitingFirstImage?: boolean;
}

/** The part of a config the services read (structural, like DataTierConfigView). */
export interface ServicesConfigView {
  readonly production: boolean;
  readonly services: readonly ServiceConfig[];
  readonly ecsExec: boolean;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/** Problems with the services config, each naming field, value and rule (empty when valid). */
export function serviceConfigProblems(config: ServicesConfigView): string[] {
  const problems: string[] = [];
  const add = (field: string, value: unknown, rule: string): void => {
    problems.push(`${field} = ${show(value)}: ${rule}`);
  };
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

  if (typeof config.ecsExec !== 'boolean') add('ecsExec', config.ecsExec, 'must be true or false');
  const services = config.services as readonly ServiceConfig[] | undefined;
  if (!Array.isArray(services)) {
    add('services', services, 'must be a list of services (may be empty)');
    return problems;
  }
  const names = new Map<string, number>();
  const priorities = new Map<number, number>();
  services.forEach((s, i) => {
    const f = (field: string): string => `services[${i}].${field}`;
    if (typeof s.name !== 'string' || !SERVICE_NAME.test(s.name)) {
      add(f('name'), s.name, 'must be 2-24 lower-case letters, digits or single dashes, starting with a letter');
    } else if (names.has(s.name)) {
      add(f('name'), s.name, `must be unique; services[${names.get(s.name)}] has the same name`);
    } else {
      names.set(s.name, i);
    }
    if (typeof s.imageTag !== 'string' || !IMAGE_TAG.test(s.imageTag) || s.imageTag === 'latest') {
      add(
        f('imageTag'),
        s.imageTag,
        "must be an image tag (1-128 of [A-Za-z0-9_.-]), not 'latest' (tags are immutable)",
      );
    }
    if (!isInt(s.containerPort) || s.containerPort < MIN_CONTAINER_PORT || s.containerPort > 65535) {
      add(
        f('containerPort'),
        s.containerPort,
        `must be ${MIN_CONTAINER_PORT}-65535: the container runs as a non-root user, which cannot bind lower ports`,
      );
    }
    const memories = isInt(s.cpu) ? FARGATE_MEMORY_BY_CPU[s.cpu] : undefined;
    if (!memories) {
      add(f('cpu'), s.cpu, `must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`);
    } else if (!memories.includes(s.memoryMiB)) {
      add(
        f('memoryMiB'),
        s.memoryMiB,
        `is not a valid Fargate memory size for cpu ${s.cpu}: ${memories[0]}-${memories[memories.length - 1]} in steps of ${memories.length > 1 ? memories[1] - memories[0] : 0}`,
      );
    }
    if (!isInt(s.desiredCount) || s.desiredCount < 1) {
      add(
        f('desiredCount'),
        s.desiredCount,
        'must be an integer of at least 1 (use awaitingFirstImage for zero tasks)',
      );
    } else if (config.production && s.desiredCount < 2) {
      add(
        f('desiredCount'),
        s.desiredCount,
        'must be at least 2 in a production environment: tasks spread over AZs (safeguard I3)',
      );
    }
    if (s.awaitingFirstImage !== undefined && typeof s.awaitingFirstImage !== 'boolean') {
      add(f('awaitingFirstImage'), s.awaitingFirstImage, 'must be true or false');
    }
    const routing = s.routing as ServiceRouting | undefined;
    if (!routing || typeof routing !== 'object') {
      add(f('routing'), routing, 'is required (pathPattern and/or hostHeader, priority)');
      return;
    }
    if (!isInt(routing.priority) || routing.priority < 1 || routing.priority > 50000) {
      add(f('routing.priority'), routing.priority, 'must be an integer from 1 to 50000');
    } else if (priorities.has(routing.priority)) {
      add(
        f('routing.priority'),
        routing.priority,
        `must be unique; services[${priorities.get(routing.priority)}] has the same priority`,
      );
    } else {
      priorities.set(routing.priority, i);
    }
    if (routing.pathPattern === undefined && routing.hostHeader === undefined) {
      add(f('routing'), routing, 'must set pathPattern or hostHeader (or both)');
    }
    if (routing.pathPattern !== undefined && !/^\/[A-Za-z0-9_\-.$/~"'@:+?*&]{0,127}$/.test(routing.pathPattern)) {
      add(f('routing.pathPattern'), routing.pathPattern, "must start with '/' and be at most 128 characters");
    }
    if (
      routing.hostHeader !== undefined &&
      !/^(?=.{1,128}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(routing.hostHeader)
    ) {
      add(f('routing.hostHeader'), routing.hostHeader, 'must be a lower-case host name, optionally starting with *.');
    }
  });
  return problems;
}
