import {
  isDeploymentRoleArn,
  actionMatches,
  conditionValues,
  deniesToEveryone,
  exactValues,
  isAnyPrincipal,
  onlyExactCondition,
  PolicyStatementJson,
  resourceCovers,
  statementCovers,
  unconditional,
} from '../../../../lib/compliance/gate/rules/policy-statements';

describe('reading policy statements as IAM evaluates them (shared by the policy rules)', () => {
  test('actions: wildcards match case-insensitively; NotAction covers what it does not list', () => {
    expect(actionMatches('s3:Delete*', 's3:DeleteObjectVersion')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(statementCovers({ Action: ['s3:Get*', 's3:Put*'] }, 's3:PutObject', 'surely')).toBe(true);
    expect(statementCovers({ NotAction: 's3:Get*' }, 's3:DeleteObject', 'surely')).toBe(true);
    expect(statementCovers({ NotAction: 's3:Get*' }, 's3:GetObject', 'surely')).toBe(false);
    // A token may resolve to any action: surely covers nothing in Action and everything in NotAction, possibly the reverse.
    const token = { 'Fn::Join': ['', ['s3:PutObject', 'Acl']] };
    expect(statementCovers({ Action: token }, 's3:PutObject', 'surely')).toBe(false);
    expect(statementCovers({ Action: token }, 's3:PutObject', 'possibly')).toBe(true);
    expect(statementCovers({ NotAction: token }, 's3:PutObject', 'surely')).toBe(false);
    expect(statementCovers({ NotAction: token }, 's3:PutObject', 'possibly')).toBe(true);
  });

  test('principals and conditions: positive and negated operators, exact values only', () => {
    expect(isAnyPrincipal('*')).toBe(true);
    expect(isAnyPrincipal({ AWS: ['*'] })).toBe(true);
    expect(isAnyPrincipal({ AWS: 'arn:aws:iam::123456789012:root' })).toBe(false);
    const condition = {
      ArnNotEquals: { 'AWS:PrincipalArn': ['arn:aws:iam::1:role/a'] },
      StringEqualsIfExists: { k: 'v' },
    };
    expect(conditionValues(condition, 'aws:PrincipalArn', 'negated')).toEqual(['arn:aws:iam::1:role/a']);
    expect(conditionValues(condition, 'aws:PrincipalArn', 'positive')).toBeUndefined();
    // IfExists operators hold when the key is absent: they are neither positive nor negated here.
    expect(conditionValues(condition, 'k', 'positive')).toBeUndefined();
    expect(exactValues(['arn:aws:iam::1:role/a'])).toBe(true);
    expect(exactValues(['arn:aws:iam::1:role/*'])).toBe(false);
    expect(exactValues([])).toBe(false);
    // A policy variable names whoever asks: an exception for `${aws:PrincipalArn}` excepts everyone.
    expect(exactValues(['${aws:PrincipalArn}'])).toBe(false);
    const named: PolicyStatementJson = { Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::1:role/a'] } } };
    expect(onlyExactCondition(named, 'aws:PrincipalArn', 'positive')).toBe(true);
    expect(
      onlyExactCondition(
        { Condition: { ...named.Condition, Bool: { 'aws:SecureTransport': 'true' } } },
        'aws:PrincipalArn',
        'positive',
      ),
    ).toBe(false);
  });

  test('bucket scope: the bucket or all its objects, never a prefix', () => {
    expect(resourceCovers('arn:aws:s3:::b', 'bucket', 'B')).toBe(true);
    expect(resourceCovers('arn:aws:s3:::b/*', 'objects', 'B')).toBe(true);
    expect(resourceCovers('arn:aws:s3:::b/logs/*', 'objects', 'B')).toBe(false);
    expect(resourceCovers('arn:aws:s3:::${aws:PrincipalTag/bucket}/*', 'objects', 'B')).toBe(false);
    expect(resourceCovers('arn:aws:s3:::${aws:username}', 'bucket', 'B')).toBe(false);
    expect(resourceCovers({ 'Fn::GetAtt': ['B', 'Arn'] }, 'bucket', 'B')).toBe(true);
    expect(resourceCovers({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/*']] }, 'objects', 'B')).toBe(true);
    expect(resourceCovers('*', 'objects', 'B')).toBe(true);
  });

  test('bucket scope written with Fn::Join or Fn::Sub: the partition and the bucket by Ref, or its Arn; not a prefix, not a variable map, not a pseudo parameter', () => {
    const partition = { Ref: 'AWS::Partition' };
    const covers: [unknown, 'bucket' | 'objects'][] = [
      [{ 'Fn::Join': ['', ['arn:', partition, ':s3:::', { Ref: 'B' }]] }, 'bucket'],
      [{ 'Fn::Join': ['', ['arn:', partition, ':s3:::', { Ref: 'B' }, '/*']] }, 'objects'],
      [{ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'B' }, '/*']] }, 'objects'],
      [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}' }, 'bucket'],
      [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}/*' }, 'objects'],
      [{ 'Fn::Sub': '${B.Arn}/*' }, 'objects'],
      [{ 'Fn::Sub': '${B.Arn}' }, 'bucket'],
    ];
    for (const [resource, scope] of covers) {
      expect({ resource, scope, covers: resourceCovers(resource, scope, 'B') }).toEqual({
        resource,
        scope,
        covers: true,
      });
      // The other scope is not covered: the bucket's ARN is not its objects', nor the reverse.
      const other = scope === 'bucket' ? 'objects' : 'bucket';
      expect({ resource, other, covers: resourceCovers(resource, other, 'B') }).toEqual({
        resource,
        other,
        covers: false,
      });
    }
    const narrower: unknown[] = [
      { 'Fn::Join': ['', ['arn:', partition, ':s3:::', { Ref: 'B' }, '/logs/*']] },
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}/logs/*' },
      { 'Fn::Sub': ['arn:${AWS::Partition}:s3:::${Name}/*', { Name: 'other-bucket' }] },
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::AccountId}/*' },
      { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'AWS::AccountId' }, '/*']] },
      { 'Fn::Join': ['', ['arn:aws:s3:::${B}', '/*']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'DomainName'] }, '/*']] },
      { 'Fn::Join': ['-', ['arn:aws:s3:::', { Ref: 'B' }, '/*']] },
      { 'Fn::Join': ['', ['arn:aws:s3:::', { 'Fn::ImportValue': 'b' }, '/*']] },
      {},
      // A reference to anything but this bucket: a log group whose name is '<bucket>/<prefix>', another bucket.
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${QuarantineLogs}/*' },
      { 'Fn::Join': ['', ['arn:', partition, ':s3:::', { Ref: 'QuarantineLogs' }, '/*']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['OtherBucket', 'Arn'] }, '/*']] },
      { 'Fn::Sub': '${OtherBucket.Arn}' },
      { 'Fn::Sub': '${B2.Arn}/*' },
      // A `$` split across join parts reads as `${B}` here but deploys as the text; a nested join or substitution.
      { 'Fn::Join': ['', ['arn:aws:s3:::$', '{B}/*']] },
      { 'Fn::Join': ['', [{ 'Fn::Sub': 'arn:aws:s3:::$' }, '{B}/*']] },
      { 'Fn::Join': ['', [{ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'B' }]] }, '/*']] },
    ];
    for (const resource of narrower) {
      expect({
        resource,
        covers: resourceCovers(resource, 'objects', 'B') || resourceCovers(resource, 'bucket', 'B'),
      }).toEqual({
        resource,
        covers: false,
      });
    }
  });

  test('a deny to everyone must cover every action on the whole scope and meet the condition test', () => {
    const deny: PolicyStatementJson = {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:DeleteObject*',
      Resource: 'arn:aws:s3:::b/*',
    };
    expect(deniesToEveryone([deny], ['s3:DeleteObject', 's3:DeleteObjectVersion'], 'objects', unconditional, 'B')).toBe(
      true,
    );
    expect(deniesToEveryone([deny], ['s3:PutObjectRetention'], 'objects', unconditional, 'B')).toBe(false);
    expect(
      deniesToEveryone(
        [{ ...deny, Resource: 'arn:aws:s3:::b/x/*' }],
        ['s3:DeleteObject'],
        'objects',
        unconditional,
        'B',
      ),
    ).toBe(false);
    expect(
      deniesToEveryone(
        [{ ...deny, Principal: { AWS: 'arn:aws:iam::1:root' } }],
        ['s3:DeleteObject'],
        'objects',
        unconditional,
        'B',
      ),
    ).toBe(false);
    expect(
      deniesToEveryone(
        [{ ...deny, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        ['s3:DeleteObject'],
        'objects',
        unconditional,
        'B',
      ),
    ).toBe(false);
  });

  test('a deny to everyone counts only on the bucket it is judged for (its logical id), by reference', () => {
    const deny = (resource: unknown): PolicyStatementJson => ({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:UpdateObjectEncryption',
      Resource: resource,
    });
    const on = (resource: unknown, bucketId: string): boolean =>
      deniesToEveryone([deny(resource)], ['s3:UpdateObjectEncryption'], 'objects', unconditional, bucketId);
    const objectsOf = (id: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] });
    expect(on(objectsOf('B'), 'B')).toBe(true);
    expect(on(objectsOf('B'), 'Other')).toBe(false);
    expect(on({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Logs}/*' }, 'B')).toBe(false);
    expect(on({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}/*' }, 'B')).toBe(true);
    // Resource with NotResource: IAM refuses the statement, so it denies nothing.
    expect(
      deniesToEveryone(
        [{ ...deny(objectsOf('B')), NotResource: 'arn:aws:s3:::b/keep/*' }],
        ['s3:UpdateObjectEncryption'],
        'objects',
        unconditional,
        'B',
      ),
    ).toBe(false);
  });

  test("V2 the deployment role is the CDK bootstrap execution role of the stack's own account and region", () => {
    const role = (account: string, region: string) =>
      `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`;
    const here = { account: '123456789012', region: 'us-east-1' };
    expect(isDeploymentRoleArn(role('123456789012', 'us-east-1'), here)).toBe(true);
    expect(isDeploymentRoleArn(role('123456789012', 'ap-south-2'), here)).toBe(false);
    expect(isDeploymentRoleArn(role('999999999999', 'us-east-1'), here)).toBe(false);
    expect(
      isDeploymentRoleArn('arn:aws:iam::123456789012:role/cdk-other-cfn-exec-role-123456789012-us-east-1', here),
    ).toBe(false);
    expect(isDeploymentRoleArn({ 'Fn::GetAtt': ['Role', 'Arn'] }, here)).toBe(false);
    // A template checked alone (its stack's environment unknown): any bootstrap execution role, in its own account.
    expect(isDeploymentRoleArn(role('123456789012', 'ap-south-2'), {})).toBe(true);
    // Every region shape the gate knows (REGION_NAME_PATTERN), e.g. the European Sovereign Cloud's.
    expect(isDeploymentRoleArn(role('123456789012', 'eusc-de-east-1'), {})).toBe(true);
    expect(isDeploymentRoleArn(role('123456789012', 'eusc-de-east-1'), { region: 'eusc-de-east-1' })).toBe(true);
    expect(
      isDeploymentRoleArn('arn:aws:iam::999999999999:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1', {}),
    ).toBe(false);
  });
});
