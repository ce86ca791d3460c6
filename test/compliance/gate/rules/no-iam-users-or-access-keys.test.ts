import { CfnResource } from 'aws-cdk-lib';
import {
  CfnAccessKey,
  CfnGroup,
  CfnUser,
  CfnUserToGroupAddition,
  Role,
  ServicePrincipal,
  User,
} from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance } from 'cdk-nag';
import { NoIamUsersOrAccessKeys } from '../../../../lib/compliance/gate/rules/no-iam-users-or-access-keys';
import { fixtureStack as stack } from '../../../support/rule-fixtures';

describe('A1 project rule NoIamUsersOrAccessKeys', () => {
  test('A1 fires on an IAM user, an access key and a user-to-group addition', () => {
    const s = stack();
    const user = new CfnUser(s, 'User', {});
    expect(NoIamUsersOrAccessKeys(user)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(new CfnAccessKey(s, 'Key', { userName: user.ref }))).toEqual(['IamUser::created']);
    expect(
      NoIamUsersOrAccessKeys(new CfnUserToGroupAddition(s, 'Add', { groupName: 'ops', users: [user.ref] })),
    ).toEqual(['IamUser::created']);
  });

  test('A1 fires on the L2 User construct', () => {
    const user = new User(stack(), 'Person');
    expect(NoIamUsersOrAccessKeys(user.node.defaultChild as CfnResource)).toEqual(['IamUser::created']);
  });

  test('A1 fires on a group a user joins (by Ref or by name), passes on a group without users', () => {
    const s = stack();
    const byRef = new CfnGroup(s, 'ByRef', {});
    const byName = new CfnGroup(s, 'ByName', { groupName: 'operators' });
    const empty = new CfnGroup(s, 'Empty', {});
    new CfnUser(s, 'User', { groups: [byRef.ref] });
    new CfnUserToGroupAddition(s, 'Add', { groupName: 'operators', users: ['someone'] });
    expect(NoIamUsersOrAccessKeys(byRef)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(byName)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(empty)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A1 does not apply to roles', () => {
    const role = new Role(stack(), 'R', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    expect(NoIamUsersOrAccessKeys(role.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});
