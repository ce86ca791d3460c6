/**
 * The floor of the construct library: what every construct needs and nothing above it. It imports only
 * aws-cdk-lib and constructs: safeguard ids and the metadata tagger, the PHI-store and log-bucket markers,
 * the retention floor, the TLS policy allow-list, the session limit, the backup floors, and the per-creation
 * name suffix of retained resources.
 */
export * from './backup-floors';
export * from './markers';
export * from './retention';
export * from './safeguard-ids';
export * from './session-limit';
export * from './stack-create-id';
export * from './tls-policies';
