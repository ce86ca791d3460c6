import { Template } from 'aws-cdk-lib/assertions';
import { SECURITY_HUB_STANDARDS, SecurityHub } from '../../constructs/security-hub';
import { fixtureStack } from '../support/construct-fixtures';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

const stack = fixtureStack();
const hub = new SecurityHub(stack, 'SecurityHub');
const template = Template.fromStack(stack);
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);

describe('SecurityHub', () => {
  it('D2 Security Hub with FSBP and NIST 800-53 r5 standards, enabled after the hub', () => {
    template.hasResourceProperties('AWS::SecurityHub::Hub', {
      EnableDefaultStandards: false,
      ControlFindingGenerator: 'SECURITY_CONTROL',
      AutoEnableControls: true,
    });
    const standards = ofType('AWS::SecurityHub::Standard');
    expect(standards).toHaveLength(Object.keys(SECURITY_HUB_STANDARDS).length);
    const [[hubId]] = ofType('AWS::SecurityHub::Hub');
    const arns = standards.map(([, s]) => JSON.stringify(s.Properties.StandardsArn));
    expect(arns.join()).toContain('standards/aws-foundational-security-best-practices/v/1.0.0');
    expect(arns.join()).toContain('standards/nist-800-53/v/5.0.0');
    for (const [, s] of standards) expect(s.DependsOn).toContain(hubId);
  });

  it.each([['AWS::SecurityHub::Hub']])(
    'I2 %s is retained on delete and on replacement (its findings or recording must survive the stack)',
    (type) => {
      template.resourceCountIs(type, 1);
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    },
  );

  it("D2 each standard's ARN is the region's standard of that path", () => {
    expect(hub.standards).toHaveLength(2);
    const arns = ofType('AWS::SecurityHub::Standard').map(([, s]) => s.Properties.StandardsArn);
    expect(arns).toEqual(
      Object.values(SECURITY_HUB_STANDARDS).map((path) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, `::${path}`]],
      })),
    );
  });
});
