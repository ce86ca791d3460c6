import { deletionPolicyOf } from '../../../../lib/compliance/evidence/inventory/retention';
import { TemplateIndex } from '../../../../lib/compliance/evidence/inventory/template-index';
import { fixtureStack } from '../../../support/inventory-stacks';

describe('what CloudFormation does with a DB instance on stack deletion (its default DeletionPolicy)', () => {
  const db = (identifier?: unknown) => ({
    Type: 'AWS::RDS::DBInstance',
    Properties: { Engine: 'postgres', ...(identifier !== undefined ? { DBClusterIdentifier: identifier } : {}) },
  });
  const index = new TemplateIndex([
    fixtureStack('App/Data', {
      Resources: {
        Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'app-prod-phi' } },
        Standalone: db(),
        NoCluster: db({ Ref: 'AWS::NoValue' }),
        Member: db({ Ref: 'Cluster' }),
        Maybe: db({ 'Fn::If': ['Clustered', { Ref: 'Cluster' }, { Ref: 'AWS::NoValue' }] }),
        Kept: { ...db(), DeletionPolicy: 'Retain' },
      },
    }),
  ]);
  const policy = (id: string) => deletionPolicyOf(index.get(`App/Data::${id}`)!);

  test.each([
    ['without DBClusterIdentifier', 'Standalone', 'Snapshot (CloudFormation default)'],
    ['whose DBClusterIdentifier is AWS::NoValue (no cluster)', 'NoCluster', 'Snapshot (CloudFormation default)'],
    ['that is a member of a cluster', 'Member', 'Delete (CloudFormation default)'],
    [
      'whose DBClusterIdentifier a condition chooses',
      'Maybe',
      'Snapshot if standalone, Delete if a cluster member (CloudFormation default; its DBClusterIdentifier only deploy resolves)',
    ],
    ['with a DeletionPolicy of its own', 'Kept', 'Retain'],
  ])('I2 V2 an instance %s', (_name, id, expected) => {
    expect(policy(id)).toBe(expected);
  });
});
