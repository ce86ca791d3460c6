import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as cdkLib from 'aws-cdk-lib';
import { App, Aspects } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { BlueprintConfig, ConfigValidationError, ENVIRONMENTS, loadConfig, validateConfig } from '../../lib/config';
import { accessAuditDeliveryRoleName } from '../../lib/config/names';
import { environmentFromFile, synthesizeEnvironment } from '../../lib/synthesize';
import { buildTestBlueprint } from '../support/blueprint';
import { scratchDir } from '../support/scratch';

const clone = (env: 'dev' | 'prod'): BlueprintConfig => JSON.parse(JSON.stringify(ENVIRONMENTS[env]));

/** A third environment added the way the README says: a copy of dev, sharing dev's account and region. */
function staging(): BlueprintConfig {
  const c = clone('dev') as { -readonly [K in keyof BlueprintConfig]: BlueprintConfig[K] };
  c.envName = 'staging';
  c.sharesAccountWith = 'dev';
  c.detection = {
    ...c.detection,
    config: false,
    guardDuty: false,
    securityHub: false,
    macie: false,
    providedBy: 'environment dev (same account and region)',
  };
  return c;
}

describe('the environments', () => {
  test.each(['dev', 'prod'] as const)('the shipped %s environment is valid', (env) => {
    expect(() => loadConfig(env)).not.toThrow();
  });

  test('an unknown environment name is refused with the known ones', () => {
    expect(() => loadConfig('stagin')).toThrow(
      "env = 'stagin': unknown environment; known: dev, prod (cdk synth selects one with -c env=NAME, the commands with --env NAME; an environment in a JSON file: -c config=FILE, check-template and cost with --config FILE)",
    );
  });

  test('an entry whose envName is not its key is refused', () => {
    expect(() => loadConfig('qa', { qa: clone('dev') })).toThrow("envName = 'dev': must equal its key 'qa'");
  });

  test('two environments in one account and region must say which creates the account-level services', () => {
    const copy = { ...clone('dev'), envName: 'staging' };
    expect(() => loadConfig('staging', { ...ENVIRONMENTS, staging: copy })).toThrow(
      /sharesAccountWith = undefined: environment 'dev' deploys to the same account 111111111111 and region us-east-1: both would create the GuardDuty detector, Security Hub, the Macie session, the AWS Config recorder and the Session Manager preferences document/,
    );
    expect(() => loadConfig('dev', { ...ENVIRONMENTS, staging: copy })).toThrow(
      /environment 'staging' deploys to the same account/,
    );
    const environments = { ...ENVIRONMENTS, staging: staging() };
    expect(() => loadConfig('staging', environments)).not.toThrow();
    expect(() => loadConfig('dev', environments)).not.toThrow();
  });

  test('a third environment of the account shares with the same owner as the second (both with dev)', () => {
    const qa = { ...staging(), envName: 'qa' };
    const environments = { ...ENVIRONMENTS, staging: staging(), qa };
    for (const env of ['dev', 'staging', 'qa']) expect(() => loadConfig(env, environments)).not.toThrow();
    // Sharing with each other instead is refused: the owner must own the services.
    expect(() => loadConfig('qa', { ...environments, qa: { ...qa, sharesAccountWith: 'staging' } })).toThrow(
      /sharesAccountWith = 'staging'/,
    );
  });

  test('a production environment shares its account with no non-production one, in any region, and the message names the rule, not sharesAccountWith', () => {
    // The config review of 2026-12-04: prod in dev's account was accepted (in another region) or told to share.
    const prodIn = (region: string, shares?: string): BlueprintConfig => ({
      ...(JSON.parse(
        JSON.stringify(clone('prod'))
          .replace(/222222222222/g, ENVIRONMENTS.dev.account)
          .replace(/acm:us-east-1/g, `acm:${region}`),
      ) as BlueprintConfig),
      region,
      allowedRegions: [region, 'us-west-2'],
      ...(shares !== undefined
        ? {
            sharesAccountWith: shares,
            detection: {
              ...clone('prod').detection,
              config: false,
              guardDuty: false,
              securityHub: false,
              macie: false,
              providedBy: 'environment dev',
            },
          }
        : {}),
    });
    const rule =
      /account = '111111111111': environment 'dev' \(production false\) deploys to the same account: a production environment and a non-production one must be in separate accounts/;
    for (const prod of [prodIn('us-east-1'), prodIn('us-east-2'), prodIn('us-east-1', 'dev')]) {
      const environments = { ...ENVIRONMENTS, prod };
      let message = '';
      try {
        loadConfig('prod', environments);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(rule);
      expect(message).not.toMatch(/Set sharesAccountWith/);
      expect(() => loadConfig('dev', environments)).toThrow(
        /account = '111111111111': environment 'prod' \(production true\) deploys to the same account/,
      );
    }
    // Two non-production environments may share (staging above); two production ones in one account are not refused
    // by this rule (here they are by the next test's: both create detection services in us-west-2).
    let both = '';
    try {
      loadConfig('prod', { ...ENVIRONMENTS, prod2: { ...clone('prod'), envName: 'prod2', region: 'us-west-2' } });
    } catch (e) {
      both = (e as Error).message;
    }
    expect(both).toContain("environment 'prod2' of the same account also creates");
    expect(both).not.toContain('separate accounts');
  });

  test("two environments of one account in different regions may not both create a detection service where their regions meet, nor both create AWS Config's service-linked role", () => {
    // The config review of 2026-12-04: each creates GuardDuty, Security Hub and Config in its region and its replica
    // region; us-east-1 -> us-west-2 beside us-west-2 -> us-east-1 was accepted, and both deploys would collide.
    const west: BlueprintConfig = {
      ...clone('dev'),
      envName: 'west',
      region: 'us-west-2',
      phiBucket: { ...clone('dev').phiBucket, replicaRegion: 'us-east-1' },
      network: { ...clone('dev').network, phiVpcCidr: '10.50.0.0/16', nonPhiVpcCidr: '10.60.0.0/16' },
    };
    const environments = { ...ENVIRONMENTS, west };
    let message = '';
    try {
      loadConfig('west', environments);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const [field, service] of [
      ['config', 'the AWS Config recorder'],
      ['guardDuty', 'the GuardDuty detector'],
      ['securityHub', 'Security Hub'],
    ]) {
      expect(message).toContain(
        `detection.${field} = true: environment 'dev' of the same account also creates ${service} in us-west-2, us-east-1`,
      );
    }
    expect(message).toContain(
      "detection.configServiceLinkedRole = 'create': must be 'existing': environment 'dev' of the same account creates AWSServiceRoleForConfig",
    );
    // Replica regions that do not meet, and one of them told the role exists: accepted.
    const apart = {
      ...west,
      region: 'us-east-2',
      allowedRegions: ['us-east-2', 'us-west-1'],
      phiBucket: { ...west.phiBucket, replicaRegion: 'us-west-1' },
      detection: { ...west.detection, configServiceLinkedRole: 'existing' as const },
    };
    expect(() => loadConfig('west', { ...ENVIRONMENTS, west: apart })).not.toThrow();
    expect(() => loadConfig('dev', { ...ENVIRONMENTS, west: apart })).not.toThrow();
  });

  test('sharesAccountWith must name an environment of the same account and region that owns the services', () => {
    const named = (shares: string) => ({ ...staging(), sharesAccountWith: shares });
    expect(() => loadConfig('staging', { ...ENVIRONMENTS, staging: named('qa') })).toThrow(
      /sharesAccountWith = 'qa': names no environment/,
    );
    expect(() => loadConfig('staging', { ...ENVIRONMENTS, staging: named('prod') })).toThrow(
      /sharesAccountWith = 'prod': environment 'prod' deploys to 222222222222\/us-east-1/,
    );
    const both = { dev: { ...clone('dev'), sharesAccountWith: 'staging' }, staging: staging() };
    expect(() => loadConfig('staging', both)).toThrow(/environment 'dev' shares with 'staging' itself/);
  });

  test("problems between environments come in the same message as the environment's own", () => {
    // The config review of 2026-12-04: an unknown sharesAccountWith was reported only once the rest was fixed.
    const broken = {
      ...staging(),
      sharesAccountWith: 'qa',
      database: { ...staging().database, backupRetentionDays: '35' },
    };
    let message = '';
    try {
      loadConfig('staging', { ...ENVIRONMENTS, staging: broken });
    } catch (e) {
      message = (e as Error).message;
    }
    // Three: its own, the unknown environment, and that dev deploys to the same account and region.
    expect(message).toMatch(/\(3 problems\)/);
    expect(message).toMatch(/database\.backupRetentionDays = '35': must be a number/);
    expect(message).toMatch(/sharesAccountWith = 'qa': names no environment; known: dev, prod, staging/);
  });

  test('a broken other environment does not affect this one', () => {
    expect(() =>
      loadConfig('dev', { dev: clone('dev'), broken: null, other: { account: 5, services: [null] } }),
    ).not.toThrow();
  });

  test('the third environment added the way the README says synthesizes cleanly through every pack', () => {
    const config = loadConfig('staging', { ...ENVIRONMENTS, staging: staging() });
    const { app, stage } = buildTestBlueprint(config, { compliance: true });
    // dev creates the account's detection services; staging's detection stack holds only the Malware Protection plan
    // of its own PHI bucket (a plan per bucket).
    expect(stage.detection?.guardDuty).toBeUndefined();
    expect(stage.detection?.securityHub).toBeUndefined();
    expect(stage.detection?.malwareProtection).toBeDefined();
    expect(stage.app.sessionManager).toBeUndefined();
    const findings = compliancePacks().flatMap((p) =>
      p
        .validateScope(app)
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
    );
    expect(findings).toEqual([]);
  });

  test('an environment in a JSON file (with $schema) is read and validated like the others', () => {
    const dir = scratchDir('env-json-');
    const file = join(dir, 'qa.json');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: '../lib/config/blueprint-config.schema.json',
        ...clone('dev'),
        envName: 'qa',
        account: '444444444444',
      }),
    );
    const { envName, input } = environmentFromFile(file);
    expect(envName).toBe('qa');
    expect(validateConfig(input).account).toBe('444444444444');
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(() => environmentFromFile(join(dir, 'bad.json'))).toThrow(ConfigValidationError);
    expect(() => environmentFromFile(join(dir, 'missing.json'))).toThrow(
      /config = '.*missing.json': cannot be read \(ENOENT\)/,
    );
  });

  test("a file naming a shipped environment is refused: it would replace that environment's stacks silently", () => {
    const dir = scratchDir('env-file-');
    const file = join(dir, 'dev.json');
    writeFileSync(file, JSON.stringify({ ...clone('dev'), account: '444444444444' }));
    expect(() => environmentFromFile(file)).toThrow(
      /config = '.*dev\.json': envName = 'dev': names a shipped environment \(lib\/config\/environments\.ts: dev, prod\); a file adds an environment/,
    );
  });

  test('a construct that refuses its props is reported in one message naming the construct path, without a stack trace', () => {
    // What config validation cannot see: a CDK construct error during synthesis (ValidationError carries the
    // construct path), raised here by an aspect on the Keys stack.
    const cdk = cdkLib as unknown as { ValidationError: new (name: string, msg: string, scope: IConstruct) => Error };
    const outdir = scratchDir('construct-error-');
    const app = new App({ outdir });
    Aspects.of(app).add({
      visit: (node: IConstruct) => {
        if (node.node.path === 'Dev/Keys/PhiDataKey')
          throw new cdk.ValidationError('TestRefusal', 'refuses its props', node);
      },
    });
    const errors: string[] = [];
    const code = synthesizeEnvironment(app, {
      envName: 'dev',
      environments: ENVIRONMENTS,
      log: { error: (m) => errors.push(m) },
    });
    expect(code).toBe(1);
    expect(errors).toEqual([
      "Synthesis of environment 'dev' failed at construct Dev/Keys/PhiDataKey: refuses its props",
    ]);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('an environment without services (services: [], as the README allows) passes the whole gate, without an access-audit delivery role', () => {
    // The config review of 2026-12-04: the unused Firehose delivery role failed AllowListsAsConfigured.
    const outdir = scratchDir('no-services-');
    const errors: string[] = [];
    const code = synthesizeEnvironment(new App({ outdir }), {
      envName: 'dev',
      environments: { ...ENVIRONMENTS, dev: { ...clone('dev'), services: [] } },
      log: { error: (m) => errors.push(m), info: () => undefined },
    });
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    const audit = readdirSync(outdir).find((f) => f.startsWith('DevAudit') && f.endsWith('.template.json'))!;
    type Resource = { Type: string; Properties?: { RoleName?: unknown } };
    const resources = Object.values(
      (JSON.parse(readFileSync(join(outdir, audit), 'utf8')) as { Resources: Record<string, Resource> }).Resources,
    );
    const roleNames = resources.filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties?.RoleName);
    // The audit stack's other roles are there (the trail's, the findings archive's); the delivery role is not.
    expect(roleNames.length).toBeGreaterThan(0);
    expect(roleNames).not.toContain(accessAuditDeliveryRoleName(ENVIRONMENTS.dev));
    expect(resources.filter((r) => r.Type === 'AWS::KinesisFirehose::DeliveryStream').length).toBeGreaterThan(0);
  });

  test("an isolated copy vault of another account (as the schema documents it) passes the whole gate, the PHI key's copy grant on its allow-list", () => {
    // The false-positive review of 2026-12-04: AllowListsAsConfigured refused the grant KeysStack adds for it.
    const outdir = scratchDir('cross-account-vault-');
    const errors: string[] = [];
    const dev = clone('dev');
    const code = synthesizeEnvironment(new App({ outdir }), {
      envName: 'dev',
      environments: {
        ...ENVIRONMENTS,
        dev: {
          ...dev,
          backup: {
            ...dev.backup,
            isolatedCopyVaultArn: 'arn:aws:backup:us-east-1:444455556666:backup-vault:phi-airgap',
          },
        },
      },
      log: { error: (m) => errors.push(m), info: () => undefined },
    });
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    const keys = readdirSync(outdir).find((f) => f.startsWith('DevKeys') && f.endsWith('.template.json'))!;
    expect(readFileSync(join(outdir, keys), 'utf8')).toContain(
      'arn:aws:iam::444455556666:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup',
    );
  });

  test('a construct validation (node.addValidation) failure is reported the same way', () => {
    const outdir = scratchDir('construct-validation-');
    const app = new App({ outdir });
    Aspects.of(app).add({
      visit: (node: IConstruct) => {
        if (node.node.path === 'Dev/Network') node.node.addValidation({ validate: () => ['the network refuses'] });
      },
    });
    const errors: string[] = [];
    const code = synthesizeEnvironment(app, {
      envName: 'dev',
      environments: ENVIRONMENTS,
      log: { error: (m) => errors.push(m) },
    });
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Synthesis of environment 'dev' failed/);
    expect(errors[0]).toContain('[Dev/Network] the network refuses');
    expect(errors[0]).not.toMatch(/\n\s+at /); // no stack frames
  });
});
