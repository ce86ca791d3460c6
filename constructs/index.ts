/**
 * The construct library: L3 constructs with the HIPAA safeguards built in, on the floor (./core). Each file holds
 * one construct (or the data it reads); none imports anything from lib/.
 */
export * from './core';
export * from './access-log-bucket';
export * from './alb-web-acl';
export * from './alert-pipeline';
export * from './app-certificate';
export * from './app-user-pool';
export * from './audit-archive-bucket';
export * from './audit-archive-replica-bucket';
export * from './audit-trail';
export * from './backup-copy-vault';
export * from './break-glass-role';
export * from './bucket-safeguards';
export * from './config-delivery-bucket';
export * from './config-recorder';
export * from './database-users';
export * from './encrypted-log-group';
export * from './formatter-alarm-action';
export * from './guard-duty-detector';
export * from './hipaa-config-rule-set';
export * from './hipaa-config-rules';
export * from './image-repository';
export * from './interface-endpoint-policies';
export * from './interface-endpoint-services';
export * from './key-usage';
export * from './macie-discovery';
export * from './managed-key';
export * from './managed-policy-grantee';
export * from './phi-backup';
export * from './phi-bucket-replication';
export * from './phi-bucket';
export * from './phi-cluster';
export * from './phi-database';
export * from './phi-log-group';
export * from './phi-malware-protection';
export * from './phi-restore-testing';
export * from './phi-service';
export * from './registry-scanning';
export * from './secure-load-balancer';
export * from './security-alarms';
export * from './security-hub';
export * from './security-metric-filters';
export * from './segmented-vpc';
export * from './service-configuration';
export * from './session-manager-preferences';
