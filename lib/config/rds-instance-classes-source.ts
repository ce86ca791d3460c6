import { dirname } from 'path';

/** Where the RDS instance classes config accepts come from (lib/config/rds-instance-classes.json). */
export const RDS_CLASSES_FILE = 'lib/config/rds-instance-classes.json';

/** The JSON file's content. */
export interface RdsInstanceClasses {
  readonly source: string;
  /** The version of @aws/cloudformation-validate the list was read from. */
  readonly engineVersion: string;
  readonly classes: readonly string[];
}

/** The version of the CloudFormation validation engine aws-cdk-lib installed. */
export function installedEngineVersion(): string {
  // A path resolved from aws-cdk-lib's folder (the engine is its dependency, not this project's): require() it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(engineEntry()) as { version(): string }).version();
}

/** @aws/cloudformation-validate as aws-cdk-lib resolves it (its own dependency, not one of this project). */
function engineEntry(): string {
  const cdk = dirname(require.resolve('aws-cdk-lib/package.json'));
  return require.resolve('@aws/cloudformation-validate', { paths: [cdk] });
}

/**
 * The RDS instance classes aws-cdk-lib's CloudFormation validation accepts for AWS::RDS::DBInstance DBInstanceClass
 * (its rule E3025's allowed values, every region's), read by validating a template that names no class. What
 * `npm run docs` writes to RDS_CLASSES_FILE; config checks a class against that file, so a class CloudFormation
 * would refuse at synth is refused with its config field named, before anything is built.
 */
export function rdsInstanceClassesFromEngine(): RdsInstanceClasses {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(engineEntry()) as {
    version(): string;
    CompositeEngine: new () => {
      validateTemplate(t: unknown): { diagnostics: { ruleId?: string; message?: string }[] };
      free(): void;
    };
    TemplateContent: new (content: string) => unknown;
  };
  const template = JSON.stringify({
    Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.none', Engine: 'postgres' } } },
  });
  const instance = new engine.CompositeEngine();
  try {
    const found = instance
      .validateTemplate(new engine.TemplateContent(template))
      .diagnostics.find((d) => d.ruleId === 'E3025' && (d.message ?? '').startsWith("'db.none' is not one of"));
    const list = /is not one of \[(.*)\]/.exec(found?.message ?? '')?.[1];
    if (list === undefined) throw new Error('the validation engine no longer lists the RDS instance classes (E3025)');
    const classes = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!).sort();
    return {
      source: `@aws/cloudformation-validate ${engine.version()} (aws-cdk-lib's CloudFormation validation): rule E3025's allowed values of AWS::RDS::DBInstance DBInstanceClass, every region's; written by npm run docs`,
      engineVersion: engine.version(),
      classes,
    };
  } finally {
    instance.free();
  }
}
