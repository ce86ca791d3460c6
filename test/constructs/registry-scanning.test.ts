import { Template } from 'aws-cdk-lib/assertions';
import { REGISTRY_SCANNING, RegistryScanning } from '../../constructs/registry-scanning';
import { fixtureStack } from '../support/construct-fixtures';

describe('RegistryScanning', () => {
  it('D2 ECR enhanced scanning: every repository, continuously (Amazon Inspector)', () => {
    const s = fixtureStack();
    new RegistryScanning(s, 'RegistryScanning');
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
    expect(REGISTRY_SCANNING).toEqual({ scanType: 'ENHANCED', frequency: 'CONTINUOUS_SCAN', filter: '*' });
  });
});
