import { ThreatProtectionPresent } from '../../../../lib/compliance/gate/assembly/threat-protection-present';
import { findingsOf, Mutable } from './assembly-fixture';

const det = (t: Record<string, Mutable>) => t.detection.Resources;
const runtime = (t: Record<string, Mutable>) =>
  det(t).Detector.Properties.Features.find((f: Mutable) => f.Name === 'RUNTIME_MONITORING');
const declare = (t: Record<string, Mutable>, services: Record<string, boolean>, extra: Mutable = {}) =>
  (t.detection.Metadata.HipaaBlueprint.detection = { services, providedBy: 'the organisation', ...extra });
const ALL_ON = { config: true, guardDuty: true, securityHub: true, macie: true, inspector: true };

describe('ThreatProtectionPresent', () => {
  test('D2 runtime monitoring, malware scanning of the PHI bucket and registry scanning present pass', () => {
    expect(findingsOf(ThreatProtectionPresent)).toEqual([]);
  });

  test('D2 GuardDuty or Inspector declared off (provided elsewhere) needs none of its parts; sharedWith relies on the other registry scanning', () => {
    expect(
      findingsOf(ThreatProtectionPresent, (t) => {
        delete det(t).Detector;
        delete det(t).MalwarePlan;
        delete det(t).RegistryScanning;
        declare(t, { ...ALL_ON, guardDuty: false, inspector: false }, { malwareProtection: false });
      }),
    ).toEqual([]);
    expect(
      findingsOf(ThreatProtectionPresent, (t) => {
        delete det(t).RegistryScanning;
        declare(t, ALL_ON, { sharedWith: 'dev' });
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'runtime monitoring off',
      (t) => (runtime(t).Status = 'DISABLED'),
      ['[GuardDuty::runtime-monitoring-off] (template)'],
    ],
    [
      'runtime monitoring removed',
      (t) => (det(t).Detector.Properties.Features = det(t).Detector.Properties.Features.slice(0, 2)),
      ['[GuardDuty::runtime-monitoring-off] (template)'],
    ],
    [
      'the Fargate agent not managed by GuardDuty',
      (t) => (runtime(t).AdditionalConfiguration[0].Status = 'DISABLED'),
      ['[GuardDuty::fargate-agent-not-managed] (template)'],
    ],
    [
      'the malware protection plan removed',
      (t) => delete det(t).MalwarePlan,
      ['[PhiBucket::no-malware-scan] PhiBucket'],
    ],
    [
      'the malware protection plan narrowed to a prefix',
      (t) => (det(t).MalwarePlan.Properties.ProtectedResource.S3Bucket.ObjectPrefixes = ['uploads/']),
      ['[PhiBucket::no-malware-scan] PhiBucket'],
    ],
    [
      'the malware protection plan on another bucket',
      (t) => (det(t).MalwarePlan.Properties.ProtectedResource.S3Bucket.BucketName = 'other-bucket'),
      ['[PhiBucket::no-malware-scan] PhiBucket'],
    ],
    [
      'the registry scanning configuration removed',
      (t) => delete det(t).RegistryScanning,
      ['[ECR::no-enhanced-continuous-scanning] (template)'],
    ],
    [
      'registry scanning basic',
      (t) => (det(t).RegistryScanning.Properties.ScanType = 'BASIC'),
      ['[ECR::no-enhanced-continuous-scanning] (template)'],
    ],
    [
      'registry scanning on push only',
      (t) => (det(t).RegistryScanning.Properties.Rules[0].ScanFrequency = 'SCAN_ON_PUSH'),
      ['[ECR::no-enhanced-continuous-scanning] (template)'],
    ],
    [
      'registry scanning of some repositories only',
      (t) => (det(t).RegistryScanning.Properties.Rules[0].RepositoryFilters[0].Filter = 'app-*'),
      ['[ECR::no-enhanced-continuous-scanning] (template)'],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(ThreatProtectionPresent, mutate)).toEqual(expected);
  });
});
