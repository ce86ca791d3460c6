import { BlueprintConfig } from '../../lib/config';
import { renderSummary } from '../../lib/deploy/summary';
import { testConfig } from '../support/blueprint';
import { deployedEnvironment } from '../support/fake-aws';

describe('deploy summary', () => {
  it('lists stacks with status, key outputs, post-deploy results and what is left to a human', () => {
    const lines = renderSummary({
      config: testConfig('prod'),
      deployed: deployedEnvironment(),
      postDeploy: [{ step: 'RDSOSMetrics log group', status: 'pending', detail: 'RDSOSMetrics does not exist yet' }],
    });
    const text = lines.join('\n');
    expect(lines).toContain(`  ${'hipaa-prod-data'.padEnd(32)} UPDATE_COMPLETE`);
    expect(text).toContain('  load balancer DNS name   hipaa-prod-app-123.us-east-1.elb.amazonaws.com');
    expect(text).toContain('  application URL          https://app.example.org/');
    expect(text).toContain('  alert topic              arn:aws:sns:us-east-1:123456789012:alerts');
    const todo = text.slice(text.indexOf('Left to a human:'));
    expect(todo).toContain('Confirm the SNS subscription e-mail sent to security-alerts@example.org');
    expect(todo).toContain(
      'Point an alias (or CNAME) record for app.example.org at hipaa-prod-app-123.us-east-1.elb.amazonaws.com',
    );
    expect(todo).toContain('--user-pool-id us-east-1_ABC --username USER');
    expect(todo).toContain(
      "Push image tag v1 to the ApiRepositoryUri output of hipaa-prod-app, set awaitingFirstImage: false for 'api'",
    );
    // The database users are created by the data stack's provisioner: nothing for a human to do.
    expect(todo).not.toMatch(/database user|CREATE USER/);
    expect(todo).toContain(
      "Check that access-audit events (U5) reach their object-locked bucket: request one record through 'api'",
    );
    expect(todo).toContain('RDSOSMetrics log group is pending (see above): run the deploy again later');
    expect(todo).toContain('Accept the AWS BAA in AWS Artifact for account 123456789012');
  });

  it('a stack that is not deployed says so', () => {
    const deployed = deployedEnvironment();
    deployed.delete('hipaa-prod-app');
    expect(renderSummary({ config: testConfig('prod'), deployed, postDeploy: [] })).toContain(
      `  ${'hipaa-prod-app'.padEnd(32)} NOT DEPLOYED`,
    );
  });

  it('names the repository a service pushes to from its output, and asks nothing of a service built from a directory', () => {
    const deployed = deployedEnvironment();
    const app = deployed.get('hipaa-prod-app')!;
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hipaa-prod-app-apirepositoryf340b4fb-abc';
    deployed.set('hipaa-prod-app', { ...app, outputs: { ...app.outputs, ApiRepositoryUri: uri } });
    const prod = renderSummary({ config: testConfig('prod'), deployed, postDeploy: [] }).join('\n');
    expect(prod).toContain(`Push image tag v1 to ${uri}, set awaitingFirstImage: false for 'api'`);
    // A service built from a directory, whatever the shipped dev holds (a fork may give dev an imageTag service: the
    // newcomer review of 2026-12-04 found this test failing then).
    const base = testConfig('prod');
    const service: Record<string, unknown> = { ...base.services[0]!, buildDirectory: 'services/sample-api' };
    delete service.imageTag;
    delete service.awaitingFirstImage;
    const built = { ...base, services: [service] } as unknown as BlueprintConfig;
    const fromDirectory = renderSummary({ config: built, deployed, postDeploy: [] }).join('\n');
    expect(fromDirectory).not.toContain('Push image');
  });

  it('says the app stack was not deployed, and what to set, when the environment has no domain', () => {
    const deployed = deployedEnvironment();
    const dev = renderSummary({ config: testConfig('dev'), deployed, postDeploy: [] }).join('\n');
    expect(dev).toContain(
      "hipaa-dev-app was not deployed: set domain (name, and certificateArn or hostedZoneId + hostedZoneName) for 'dev'",
    );
    const prod = renderSummary({ config: testConfig('prod'), deployed, postDeploy: [] }).join('\n');
    expect(prod).not.toContain('was not deployed');
  });
});
