import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KEY_DOMAINS } from '../../constructs/key-usage';
import { ManagedKey, ManagedKeyProps } from '../../constructs/managed-key';

const ACCOUNT = '123456789012';
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/Deployment`;

function key(props: Partial<ManagedKeyProps>): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Keys', {
    env: { account: ACCOUNT, region: 'us-east-1' },
  });
  new ManagedKey(stack, 'K', {
    alias: 'test/k',
    description: 'd',
    usage: KEY_DOMAINS.backup.usage,
    administratorArns: [DEPLOY],
    users: { backup: [`arn:aws:iam::${ACCOUNT}:role/Backup`] },
    ...props,
  });
  return stack;
}

describe('ManagedKey', () => {
  test('E1 a key limited to named users refuses to be built without them', () => {
    expect(() => key({ users: undefined })).toThrow(
      /users = undefined: required: the key's usage admits named principals only \(namedUsersOnly\), one list per service of \["backup"\]/,
    );
  });

  test('E1 users must name exactly the services of the usage', () => {
    expect(() => key({ users: { backup: [], s3: [] } })).toThrow(
      /users = \["backup","s3"\]: must name exactly the services of usage.viaServices \["backup"\]/,
    );
    expect(() => key({ users: {} })).toThrow(/users = \[\]: must name exactly the services/);
  });

  test('E1 administrators and users are exact role ARNs: no wildcard, no account', () => {
    expect(() => key({ administratorArns: [] })).toThrow(
      /administratorArns = \[\]: must name at least the CloudFormation execution role/,
    );
    expect(() => key({ administratorArns: [`arn:aws:iam::${ACCOUNT}:role/*`] })).toThrow(
      /administratorArns\[0\] = 'arn:aws:iam::123456789012:role\/\*': must be an exact IAM role ARN/,
    );
    expect(() => key({ users: { backup: [ACCOUNT] } })).toThrow(
      /users.backup\[0\] = '123456789012': must be an exact IAM role ARN/,
    );
  });

  test('E1 a service with no named principals gets no use statement: nobody uses the key through it', () => {
    const [resource] = Object.values(Template.fromStack(key({ users: { backup: [] } })).findResources('AWS::KMS::Key'));
    const sids = (resource!.Properties.KeyPolicy.Statement as Array<{ Sid: string }>).map((s) => s.Sid);
    expect(sids).toEqual(['KeyMetadataReadableInThisAccount', 'KeyAdministrationByNamedRoles', 'RootUserLockoutPath']);
  });

  test('E1 the key is marked for KeyUseByNamedPrincipals only when its usage says named users only', () => {
    const marked = (s: Stack): unknown =>
      Object.values(Template.fromStack(s).findResources('AWS::KMS::Key'))[0]!.Metadata?.[
        'HipaaBlueprint::NamedKeyUsers'
      ];
    expect(marked(key({}))).toEqual({ safeguards: ['E1'] });
    expect(marked(key({ usage: KEY_DOMAINS.operations.usage, users: undefined }))).toBeUndefined();
  });
});
