import { serviceForResourceType } from '../../../../lib/compliance/gate/eligibility/eligibility-rule';
import { eligibleServiceNames } from '../../../../lib/compliance/gate/eligibility/eligible-services';
import {
  allMappings,
  CONTROL_PLANE_ALLOWANCES,
  KNOWN_INELIGIBLE_SERVICES,
  lookupResourceType,
  NAMESPACE_MAP,
} from '../../../../lib/compliance/gate/eligibility/resource-service-map';
import { allowedIamPrefixes } from '../../../../lib/compliance/gate/eligibility/scp';

const allowanceNames = new Set(CONTROL_PLANE_ALLOWANCES.map((a) => a.service));

describe('resource service map', () => {
  test('every mapped service marked eligible is on the list (exact name after note stripping)', () => {
    const missing = allMappings()
      .map((m) => m.service)
      .filter((s) => !KNOWN_INELIGIBLE_SERVICES.has(s) && !allowanceNames.has(s))
      .filter((s) => !eligibleServiceNames.has(s));
    expect([...new Set(missing)]).toEqual([]);
  });

  test('services mapped as not eligible, and control-plane allowances, are really not on the list', () => {
    for (const s of KNOWN_INELIGIBLE_SERVICES) expect(eligibleServiceNames.has(s)).toBe(false);
    for (const a of CONTROL_PLANE_ALLOWANCES) {
      expect(eligibleServiceNames.has(a.service)).toBe(false);
      expect(a.reason.length).toBeGreaterThan(20);
    }
  });

  test('the SCP leaves every mapped, allowed service usable (IAM prefix is allowed)', () => {
    const allowed = new Set(allowedIamPrefixes());
    const blocked = allMappings()
      .filter((m) => !KNOWN_INELIGIBLE_SERVICES.has(m.service))
      .filter((m) => !allowed.has(m.iamPrefix));
    expect(blocked).toEqual([]);
  });

  test('covers the namespaces a HIPAA blueprint uses', () => {
    expect(Object.keys(NAMESPACE_MAP).length).toBeGreaterThanOrEqual(40);
    expect(serviceForResourceType('AWS::EC2::VPC')).toBe('Amazon Virtual Private Cloud (VPC)');
    expect(serviceForResourceType('AWS::EC2::Instance')).toBe('Amazon Elastic Compute Cloud (Amazon EC2)');
    expect(serviceForResourceType('AWS::CDK::Metadata')).toBe('AWS CloudFormation');
    expect(serviceForResourceType('Custom::S3AutoDeleteObjects')).toBe('AWS Lambda');
    expect(lookupResourceType('AWS::Cognito::IdentityPool')?.iamPrefix).toBe('cognito-identity');
  });
});
