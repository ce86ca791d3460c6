import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { PROJECT_RULES } from '../../../lib/compliance/gate/blueprint-checks';
import { ASSEMBLY_RULES } from '../../../lib/compliance/gate/assembly';

const ROOT = join(__dirname, '..', '..', '..');

describe('project rules are registered', () => {
  test('AuditBucketObjectLock and LogBucketRetention are in PROJECT_RULES with safeguards', () => {
    const byName = new Map(PROJECT_RULES.map((r) => [r.rule.name, r]));
    expect(byName.get('AuditBucketObjectLock')?.safeguards).toContain('U2');
    expect(byName.get('LogBucketRetention')?.safeguards).toContain('U3');
  });

  test('E3 A1 A2 U1 RdsForceSsl, NoIamUsersOrAccessKeys, HumanRolesRequireMfa, CloudTrailMultiRegionWithPhiDataEvents are in PROJECT_RULES', () => {
    const byName = new Map(PROJECT_RULES.map((r) => [r.rule.name, r]));
    expect(byName.get('RdsForceSsl')?.safeguards).toEqual(['E3']);
    expect(byName.get('NoIamUsersOrAccessKeys')?.safeguards).toEqual(['A1']);
    expect(byName.get('HumanRolesRequireMfa')?.safeguards).toEqual(['A2']);
    expect(byName.get('CloudTrailMultiRegionWithPhiDataEvents')?.safeguards).toEqual(['U1']);
  });

  test('every rule file of lib/compliance/gate/rules is registered and has its own test file', () => {
    const sources = readdirSync(join(ROOT, 'lib/compliance/gate/rules')).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(14);
    const missingTests = sources
      .map((f) => `test/compliance/gate/rules/${f.replace(/\.ts$/, '.test.ts')}`)
      .filter((t) => !existsSync(join(ROOT, t)));
    expect(missingTests).toEqual([]);
    // Every rule function PROJECT_RULES registers comes from its own file (the eligibility rule from gate/eligibility).
    expect(PROJECT_RULES.map((r) => r.rule.name).sort()).toEqual(
      [
        'AlbTlsPolicyAllowList',
        'AuditArchiveTamperDenies',
        'AuditBucketObjectLock',
        'BackupVaultLocked',
        'BucketNamedInTemplate',
        'BucketTlsOnlyPolicy',
        'CloudTrailMultiRegionWithPhiDataEvents',
        'ContainerImagesFromAssembly',
        'ContainerLogsToManagedLogGroup',
        'FirehoseDeliversToTemplateBucket',
        'ForwardRequiresSignIn',
        'EcsExecLogged',
        'EventRuleMayInvokeItsFunctions',
        'EventTargetsInAccount',
        'HipaaEligibleService',
        'HumanRolesRequireMfa',
        'KeyUseByNamedPrincipals',
        'KmsKeySafeguards',
        'LambdaLogsToManagedLogGroup',
        'LogBucketRetention',
        'LogBucketVersionDeleteDeny',
        'LogGroupSixYearRetention',
        'LogsAndEventsStayInAccount',
        'NoHttpForwardListener',
        'NoHttpTargetGroup',
        'NoIamUsersOrAccessKeys',
        'ObjectEncryptionUpdatesDenied',
        'OnePolicyPerBucket',
        'PhiBucketKeepsVersions',
        'PhiBucketListingsStayInside',
        'PhiBucketPrincipalAllowList',
        'PhiBucketWritesUnderItsKey',
        'PhiDatabaseRecoverable',
        'PhiLogGroupDataProtection',
        'PostgresAuditLogging',
        'RdsForceSsl',
        'SecurityGroupEgressExplicit',
        'ServiceEventRulesOnDefaultBus',
        'SessionLifetimeLimit',
        'SessionManagerLogging',
        'StatefulResourcesRetained',
        'StoreCustomerManagedKey',
        'TemplateDeploysAsWritten',
        'TrailRecordsArchiveDeletes',
        'UnconditionalResources',
        'VpcEndpointPolicyThisAccount',
      ].sort(),
    );
  });

  test('each rule names its safeguards and the HIPAA sections they serve', () => {
    for (const r of PROJECT_RULES) {
      expect({ rule: r.rule.name, safeguards: r.safeguards.length > 0 }).toEqual({
        rule: r.rule.name,
        safeguards: true,
      });
      expect(r.hipaaSections.every((s) => /^164\.3\d\d\(/.test(s))).toBe(true);
    }
  });

  test('V2 the README states the number of project rules there are', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const perResource = PROJECT_RULES.length;
    const assembly = ASSEMBLY_RULES.length;
    expect(readme).toContain(
      `There are ${perResource + assembly + 1} project rules: ${perResource} per resource, ${assembly} over the assembly`,
    );
  });

  test('V2 the README has a row for every project rule', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const names = [...PROJECT_RULES.map((r) => r.rule.name), ...ASSEMBLY_RULES.map((r) => r.name)];
    expect(names.filter((n) => !readme.includes(`| \`Blueprint-${n}\``))).toEqual([]);
  });
});
