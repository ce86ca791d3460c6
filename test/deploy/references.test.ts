import { changedReferences } from '../../lib/deploy/references';
import { deployedStack, deployedState } from '../support/deploy';

const refs = [{ consumer: 'app', producer: 'network', outputName: 'SubnetIds' }];
const outputs = (v?: string) =>
  deployedState(deployedStack('network', 'us-east-1', [], { outputs: v === undefined ? {} : { SubnetIds: v } }));

describe('weak cross-stack references that changed value', () => {
  it('a producer output that changed value is a change', () => {
    expect(changedReferences(refs, outputs('subnet-a'), outputs('subnet-b'))).toEqual(refs);
  });

  it('unchanged values, and outputs that did not exist before (new producer), are not', () => {
    expect(changedReferences(refs, outputs('subnet-a'), outputs('subnet-a'))).toEqual([]);
    expect(changedReferences(refs, outputs(), outputs('subnet-a'))).toEqual([]);
    expect(changedReferences(refs, deployedState(), outputs('subnet-a'))).toEqual([]);
  });
});
