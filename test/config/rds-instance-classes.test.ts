import { readFileSync } from 'fs';
import { join } from 'path';
import { ENVIRONMENTS } from '../../lib/config';
import { installedEngineVersion, RDS_CLASSES_FILE } from '../../lib/config/rds-instance-classes-source';

const recorded = JSON.parse(readFileSync(join(__dirname, '..', '..', RDS_CLASSES_FILE), 'utf8')) as {
  engineVersion: string;
  classes: string[];
};

describe('the RDS instance classes config accepts', () => {
  // The list is a function of the engine's version (its bundled CloudFormation data): a new aws-cdk-lib may bring
  // another engine, whose classes `npm run docs` writes again.
  test('were read from the CloudFormation validation engine aws-cdk-lib installed (else: npm run docs)', () => {
    expect(recorded.engineVersion).toBe(installedEngineVersion());
  });

  test("hold the shipped environments' classes and not a size a family lacks", () => {
    expect(recorded.classes.length).toBeGreaterThan(100);
    for (const env of Object.values(ENVIRONMENTS)) {
      expect(recorded.classes).toContain(
        `db.${(env as { database: { instanceClass: string } }).database.instanceClass}`,
      );
    }
    expect(recorded.classes).not.toContain('db.r6g.micro');
  });
});
