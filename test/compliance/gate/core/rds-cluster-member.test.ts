import { clusterMembership, defersToCluster } from '../../../../lib/compliance/gate/core/rds-cluster-member';
import { JsonResource, TemplateJson } from '../../../../lib/compliance/gate/core/template-json';

const instance = (identifier: unknown): JsonResource => ({
  Type: 'AWS::RDS::DBInstance',
  Properties: { Engine: 'aurora-postgresql', ...(identifier !== undefined ? { DBClusterIdentifier: identifier } : {}) },
});
const TEMPLATE: TemplateJson = {
  Resources: {
    Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { DBClusterIdentifier: 'app-prod-phi' } },
    Topic: { Type: 'AWS::SNS::Topic' },
  },
};

describe('clusterMembership: what an instance s DBClusterIdentifier says', () => {
  test.each<[string, unknown, string]>([
    ['absent', undefined, 'standalone'],
    ['AWS::NoValue (CloudFormation reads it as absent)', { Ref: 'AWS::NoValue' }, 'standalone'],
    ['empty', '', 'standalone'],
    ['a Ref to a cluster of the template', { Ref: 'Cluster' }, 'cluster'],
    ['an Fn::GetAtt of a cluster of the template', { 'Fn::GetAtt': ['Cluster', 'DBClusterResourceId'] }, 'cluster'],
    ['the literal identifier of a cluster of the template, in any case', 'App-Prod-PHI', 'cluster'],
    ['a literal identifier no cluster of the template has', 'app-prod-other', 'outside'],
    ['a Ref to a resource that is not a cluster', { Ref: 'Topic' }, 'unknown'],
    ['a Ref to a parameter', { Ref: 'ClusterName' }, 'unknown'],
    ['a condition', { 'Fn::If': ['Aurora', { Ref: 'Cluster' }, { Ref: 'AWS::NoValue' }] }, 'unknown'],
    ['an import', { 'Fn::ImportValue': 'cluster-id' }, 'unknown'],
  ])('%s is %s', (_name, identifier, kind) => {
    expect(clusterMembership(TEMPLATE, instance(identifier)).kind).toBe(kind);
  });

  test('defersToCluster: only to a cluster of the template that passes, never to one outside the template', () => {
    const passes = () => true;
    const fails = () => false;
    expect(defersToCluster(TEMPLATE, instance({ Ref: 'Cluster' }), passes)).toBe(true);
    expect(defersToCluster(TEMPLATE, instance({ Ref: 'Cluster' }), fails)).toBe(false);
    expect(defersToCluster(TEMPLATE, instance('app-prod-other'), passes)).toBe(false);
    expect(defersToCluster(TEMPLATE, instance({ Ref: 'AWS::NoValue' }), passes)).toBe(false);
    expect(defersToCluster(TEMPLATE, instance({ 'Fn::If': ['C', 'app-prod-phi', 'x'] }), passes)).toBe(false);
  });
});
