import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { AwsClients } from '../../lib/deploy/core/aws-clients';
import { fakeClients } from '../support/deploy';

describe('AWS clients', () => {
  it('creates one client per service and region, and reuses it', () => {
    const clients = new AwsClients();
    expect(clients.sts('us-east-1')).toBe(clients.sts('us-east-1'));
    expect(clients.sts('us-east-1')).not.toBe(clients.sts('us-west-2'));
  });

  it('the test clients cannot reach AWS: an unmocked call fails locally, with the fake credentials', async () => {
    const started = Date.now();
    await expect(fakeClients().sts('us-east-1').send(new GetCallerIdentityCommand({}))).rejects.toThrow(
      /ECONNREFUSED 127\.0\.0\.1:9/,
    );
    await expect(
      fakeClients()
        .s3('us-east-1')
        .send(new HeadBucketCommand({ Bucket: 'some-bucket' })),
    ).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
