import { Template } from 'aws-cdk-lib/assertions';
import { InterfaceVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoint-services';
import { DEFAULT_INTERFACE_ENDPOINTS } from '../../lib/config/defaults';
import { fixtureStack, importedVpc } from '../support/construct-fixtures';

describe('INTERFACE_ENDPOINT_SERVICES', () => {
  it('N3 each short name is the AWS service it creates an endpoint for, on HTTPS (443)', () => {
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINT_SERVICES)) {
      expect([name, service.shortName, service.port]).toEqual([name, name, 443]);
    }
  });

  it('N3 each renders the regional service name com.amazonaws.<region>.<name>', () => {
    const s = fixtureStack();
    const vpc = importedVpc(s);
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINT_SERVICES)) {
      new InterfaceVpcEndpoint(s, `Endpoint-${name}`, { vpc, service, open: false });
    }
    const names = Object.values(Template.fromStack(s).findResources('AWS::EC2::VPCEndpoint')).map(
      (e) => e.Properties.ServiceName,
    );
    expect(names.sort()).toEqual(
      Object.keys(INTERFACE_ENDPOINT_SERVICES)
        .map((n) => `com.amazonaws.us-east-1.${n}`)
        .sort(),
    );
  });

  it('N3 covers what the workloads use: every default endpoint of the environments, and SQS/EventBridge for forks', () => {
    expect(DEFAULT_INTERFACE_ENDPOINTS.filter((n) => !(n in INTERFACE_ENDPOINT_SERVICES))).toEqual([]);
    expect(Object.keys(INTERFACE_ENDPOINT_SERVICES)).toEqual(
      expect.arrayContaining(['secretsmanager', 'kms', 'sqs', 'events']),
    );
  });
});
