/**
 * A retried first create must not fail on what a failed one left behind: every retained resource of the
 * shipped environments either has no fixed name (CloudFormation names it, or the name carries the stack's
 * creation id), or preflight's leftover check can find it by name and say how to import or delete it.
 */
import { readAssembly, SynthesizedAssembly } from '../../../lib/deploy/core/assembly';
import { LEFTOVER_CHECKERS, UNCHECKED_NOTES } from '../../../lib/deploy/preflight/leftover-checkers';
import { namedRetainedResources } from '../../../lib/deploy/preflight/leftovers';
import { assemblyStack } from '../../support/deploy';
import { synthesizedDir } from '../../support/synthesized';

/** testConfig(env) as the globalSetup synthesized it once for the run. */
function synthesized(env: 'dev' | 'prod'): SynthesizedAssembly {
  return readAssembly(synthesizedDir(env));
}

describe('leftovers: which retained resources keep a fixed name', () => {
  test('a name derived from AWS::StackId is new at every stack creation: not a leftover candidate', () => {
    const perCreate = {
      'Fn::Join': ['', ['aws-waf-logs-x-', { 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'AWS::StackId' }] }] }]],
    };
    const stack = assemblyStack('hipaa-prod-app', 'us-east-1', {
      Waf: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: perCreate } },
      Fixed: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: '/fixed' } },
    });
    expect(namedRetainedResources(stack).map((r) => r.logicalId)).toEqual(['Fixed']);
  });

  test.each(['dev', 'prod'] as const)(
    'I2 %s: each retained, fixed-name resource is one preflight can look up by name (or a documented exception)',
    (env) => {
      const assembly = synthesized(env);
      const named = assembly.stacks.flatMap(namedRetainedResources);
      expect(named.length).toBeGreaterThan(0);
      for (const r of named) {
        const covered = (r.name !== undefined && LEFTOVER_CHECKERS[r.type] !== undefined) || r.type in UNCHECKED_NOTES;
        expect({ resource: `${r.stackName}/${r.logicalId}`, type: r.type, covered }).toEqual({
          resource: `${r.stackName}/${r.logicalId}`,
          type: r.type,
          covered: true,
        });
      }
      // What keeps a fixed name, and why: the PHI buckets (other stacks and the deploy commands name them), the
      // database (its log groups are named after it by RDS), the log groups AWS services name themselves
      // (RDS exports, Container Insights), the Cognito user pool (names need not be unique), and the replica region's
      // backup vault (the data stack's copy actions name it by ARN across regions).
      expect([...new Set(named.map((r) => r.type))].sort()).toEqual([
        'AWS::Backup::BackupVault',
        'AWS::Cognito::UserPool',
        'AWS::Logs::LogGroup',
        'AWS::RDS::DBInstance',
        'AWS::S3::Bucket',
      ]);
      const logGroups = named.filter((r) => r.type === 'AWS::Logs::LogGroup').map((r) => r.name);
      for (const name of logGroups) expect(name).toMatch(/^\/aws\/(rds\/instance|ecs\/containerinsights)\//);
    },
  );
});
