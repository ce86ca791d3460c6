import { Template } from 'aws-cdk-lib/assertions';
import { MacieDiscovery, MacieDiscoveryProps } from '../../constructs/macie-discovery';
import { fixtureStack, TEST_ENV } from '../support/construct-fixtures';

const PHI_BUCKET = 'hipaa-test-phi-123456789012-us-east-1';
const REPLICA_BUCKET = 'hipaa-test-phi-replica-123456789012-us-west-2';

function macie(props: Partial<MacieDiscoveryProps> = {}): { macie: MacieDiscovery; template: Template } {
  const s = fixtureStack('Detection');
  const built = new MacieDiscovery(s, 'Macie', {
    phiBucketNames: [PHI_BUCKET],
    otherRegionPhiBucketNames: [REPLICA_BUCKET],
    jobName: 'hipaa-test-phi-daily',
    ...props,
  });
  return { macie: built, template: Template.fromStack(s) };
}

const { template } = macie();
const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;

describe('MacieDiscovery', () => {
  it('D2 Macie session; the daily job on the deploy region PHI bucket is an emitted deploy step', () => {
    template.hasResourceProperties('AWS::Macie::Session', {
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    });
    const command = String(outputs.MacieClassificationJobCommand.Value);
    expect(command).toContain('aws macie2 create-classification-job');
    expect(command).toContain(`--region ${TEST_ENV.region} `);
    expect(command).toContain('"dailySchedule":{}');
    expect(command).toContain(`"buckets":["${PHI_BUCKET}"]`);
  });

  it('D2 Macie jobs are regional: the replica bucket is not in the command and is named as a gap', () => {
    const output = outputs.MacieClassificationJobCommand;
    expect(String(output.Value)).not.toContain(REPLICA_BUCKET);
    expect(output.Description).toContain(`Not covered (Macie jobs are regional`);
    expect(output.Description).toContain(REPLICA_BUCKET);
  });

  it.each([['AWS::Macie::Session']])(
    'I2 %s is retained on delete and on replacement (its findings or recording must survive the stack)',
    (type) => {
      template.resourceCountIs(type, 1);
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    },
  );

  it('D2 the command is exactly the job of this account, and names no gap when there is none', () => {
    const { macie: built, template: t } = macie({ otherRegionPhiBucketNames: undefined });
    const output = (t.toJSON().Outputs as typeof outputs).MacieClassificationJobCommand;
    expect(built.classificationJobCommand).toBe(
      `aws macie2 create-classification-job --region us-east-1 --name hipaa-test-phi-daily --job-type SCHEDULED ` +
        `--schedule-frequency '{"dailySchedule":{}}' ` +
        `--s3-job-definition '{"bucketDefinitions":[{"accountId":"123456789012","buckets":["${PHI_BUCKET}"]}]}'`,
    );
    expect(output.Value).toBe(built.classificationJobCommand);
    expect(output.Description).not.toContain('Not covered');
  });

  it('D2 refuses no PHI bucket and a malformed job name, naming field and value', () => {
    expect(() => macie({ phiBucketNames: [] })).toThrow(
      'MacieDiscovery Detection/Macie: phiBucketNames = []: at least one PHI bucket to classify',
    );
    expect(() => macie({ jobName: 'daily job' })).toThrow(
      "MacieDiscovery Detection/Macie: jobName = 'daily job': must be 1-64 of [A-Za-z0-9-]",
    );
  });
});
