import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { AlarmsReachSubscribers } from '../../../../lib/compliance/gate/assembly/alarms-reach-subscribers';
import { asAssembly, Mutable } from './assembly-fixture';

const EMAIL = 'security-alerts@example.org';
const gso = (stack: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, OutputName: output } });

/** The alert path as the blueprint builds it: topic, e-mail subscription, formatter, and alarms in another stack. */
function templates(): Record<string, Mutable> {
  return {
    alerting: {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
        Subscription: {
          Type: 'AWS::SNS::Subscription',
          Properties: { Protocol: 'email', Endpoint: EMAIL, TopicArn: { Ref: 'Topic' } },
        },
        FormatterRole: { Type: 'AWS::IAM::Role', Properties: {} },
        FormatterPolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            Roles: [{ Ref: 'FormatterRole' }],
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Topic' } }] },
          },
        },
        Formatter: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Role: { 'Fn::GetAtt': ['FormatterRole', 'Arn'] },
            Environment: { Variables: { ALERT_TOPIC_ARN: { Ref: 'Topic' } } },
          },
        },
        // The formatter's own failures go straight to the topic.
        FormatterErrors: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { MetricName: 'Errors', AlarmActions: [{ Ref: 'Topic' }] },
        },
      },
      Outputs: { FormatterArn: { Value: { 'Fn::GetAtt': ['Formatter', 'Arn'] } } },
    },
    audit: {
      Resources: {
        RootUsage: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { MetricName: 'RootAccountUsage', AlarmActions: [gso('app-prod-alerting', 'FormatterArn')] },
        },
        RootUsageInvoke: {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: gso('app-prod-alerting', 'FormatterArn'),
            Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
            SourceArn: { 'Fn::GetAtt': ['RootUsage', 'Arn'] },
          },
        },
        // An autoscaling alarm does not notify: not judged.
        Scaling: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { AlarmActions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x'] },
        },
      },
    },
  };
}

function findings(mutate: (t: Record<string, Mutable>) => void = () => undefined, endpoints?: string[]): string[] {
  const t = templates();
  mutate(t);
  return AlarmsReachSubscribers.check(asAssembly(t), endpoints ? { alertEndpoints: endpoints } : {})
    .findings.map((f) => `${f.ruleId.slice('Blueprint-AlarmsReachSubscribers'.length)} ${f.logicalId}`)
    .sort();
}
const alerting = (t: Record<string, Mutable>) => t.alerting.Resources;

describe('Blueprint-AlarmsReachSubscribers', () => {
  test('D1 D3 U6 is an assembly rule', () => {
    expect(ASSEMBLY_RULES).toContain(AlarmsReachSubscribers);
    expect(AlarmsReachSubscribers.safeguards).toEqual(['D1', 'D3', 'U6']);
  });

  test('D1 D3 alarms through the formatter and straight to the subscribed topic pass, with the configured address', () => {
    expect(findings()).toEqual([]);
    // The topic under a key of the assembly that lets this account's alarms use it, and its own account's permission.
    expect(
      findings((t) => {
        alerting(t).Key = {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
                  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
                },
              ],
            },
          },
        };
        alerting(t).Topic.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
        t.audit.Resources.RootUsageInvoke.Properties.SourceAccount = '123456789012';
      }),
    ).toEqual([]);
    expect(findings(undefined, [EMAIL.toUpperCase()])).toEqual([]);
    // Two alarms and the subscription (its account) judged; the scaling alarm is not.
    expect(AlarmsReachSubscribers.check(asAssembly(templates()), {}).evaluated).toBe(3);
    // A webhook reaches a person too.
    expect(
      findings((t) => {
        alerting(t).Subscription.Properties = {
          Protocol: 'https',
          Endpoint: 'https://pager.example.org/hook',
          TopicArn: { Ref: 'Topic' },
        };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the subscription removed',
      (t) => delete alerting(t).Subscription,
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors', '[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'the subscription filtering every alert out',
      (t) => (alerting(t).Subscription.Properties.FilterPolicy = { severity: ['NEVER'] }),
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors', '[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'the subscription to a queue (no person reads it)',
      (t) => (alerting(t).Subscription.Properties.Protocol = 'sqs'),
      [
        '[FormatterErrors::reaches-no-subscriber] FormatterErrors',
        '[RootUsage::reaches-no-subscriber] RootUsage',
        // And its endpoint (an e-mail address) is no queue ARN of the account.
        '[Subscription::subscriber-outside-account] Subscription',
      ],
    ],
    [
      'an alarm sent to a decoy topic ARN',
      (t) => (t.audit.Resources.RootUsage.Properties.AlarmActions = ['arn:aws:sns:us-east-1:123456789012:decoy']),
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'an alarm sent to a topic of the assembly that nobody subscribes',
      (t) => {
        t.audit.Resources.Decoy = { Type: 'AWS::SNS::Topic', Properties: {} };
        t.audit.Resources.RootUsage.Properties.AlarmActions = [{ Ref: 'Decoy' }];
      },
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "the alarm's invoke permission removed (CloudWatch cannot call the formatter)",
      (t) => delete t.audit.Resources.RootUsageInvoke,
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'the invoke permission for another alarm',
      (t) => {
        t.audit.Resources.Other = { Type: 'AWS::CloudWatch::Alarm', Properties: {} };
        t.audit.Resources.RootUsageInvoke.Properties.SourceArn = { 'Fn::GetAtt': ['Other', 'Arn'] };
      },
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "the formatter's role no longer allowed to publish",
      (t) => (alerting(t).FormatterPolicy.Properties.PolicyDocument.Statement[0].Action = 'sns:GetTopicAttributes'),
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'the formatter publishing to a decoy topic (its environment)',
      (t) => {
        alerting(t).Decoy = { Type: 'AWS::SNS::Topic', Properties: {} };
        alerting(t).Formatter.Properties.Environment.Variables.ALERT_TOPIC_ARN = { Ref: 'Decoy' };
      },
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'an alarm in another region than the formatter',
      (t) => {
        t.replicaAudit = t.audit;
        delete t.audit;
      },
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "the invoke permission limited to another account's alarms (CloudWatch's call refused)",
      (t) => (t.audit.Resources.RootUsageInvoke.Properties.SourceAccount = '999999999999'),
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "a decoy topic in the formatter's environment beside the subscribed one (it may publish there)",
      (t) => {
        alerting(t).Decoy = { Type: 'AWS::SNS::Topic', Properties: {} };
        alerting(t).Formatter.Properties.Environment.Variables.ALERT_TOPIC_PRIMARY = { Ref: 'Topic' };
        alerting(t).Formatter.Properties.Environment.Variables.ALERT_TOPIC_ARN = { Ref: 'Decoy' };
        alerting(t).FormatterPolicy.Properties.PolicyDocument.Statement[0].Resource = '*';
      },
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "a deny of sns:Publish in the formatter's role",
      (t) =>
        alerting(t).FormatterPolicy.Properties.PolicyDocument.Statement.push({
          Effect: 'Deny',
          Action: 'sns:*',
          Resource: '*',
        }),
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      "the topic's key not letting CloudWatch use it",
      (t) => {
        alerting(t).Key = {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: ['events.amazonaws.com'] },
                  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                  Resource: '*',
                },
              ],
            },
          },
        };
        alerting(t).Topic.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
      },
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'],
    ],
    [
      "the topic's key letting CloudWatch in for another account only",
      (t) => {
        alerting(t).Key = {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: ['cloudwatch.amazonaws.com'] },
                  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } },
                },
              ],
            },
          },
        };
        alerting(t).Topic.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
      },
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'],
    ],
    [
      'an AWS managed key on the topic (CloudWatch cannot use it)',
      (t) => (alerting(t).Topic.Properties.KmsMasterKeyId = 'alias/aws/sns'),
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'],
    ],
    [
      'a topic policy denying the CloudWatch service',
      (t) =>
        (alerting(t).TopicPolicy = {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Topic' }],
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Deny',
                  Principal: { Service: 'cloudwatch.amazonaws.com' },
                  Action: 'sns:Publish',
                  Resource: '*',
                },
              ],
            },
          },
        }),
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'],
    ],
    [
      "a topic policy letting only another account's CloudWatch publish (it replaces SNS's default policy)",
      (t) =>
        (alerting(t).TopicPolicy = {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Topic' }],
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'cloudwatch.amazonaws.com' },
                  Action: 'sns:Publish',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } },
                },
              ],
            },
          },
        }),
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'],
    ],
    [
      'a data protection policy on the topic denying what it matches (every alert, with a catch-all identifier)',
      (t) =>
        (alerting(t).Topic.Properties.DataProtectionPolicy = {
          Name: 'alerts',
          Version: '2021-06-01',
          Statement: [{ DataDirection: 'Inbound', Principal: ['*'], DataIdentifier: ['Any'], Operation: { Deny: {} } }],
        }),
      ['[FormatterErrors::reaches-no-subscriber] FormatterErrors', '[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
    [
      'an alarm whose actions a condition may remove',
      (t) =>
        (t.audit.Resources.RootUsage.Properties.AlarmActions = {
          'Fn::If': ['Quiet', [], [gso('app-prod-alerting', 'FormatterArn')]],
        }),
      ['[RootUsage::reaches-no-subscriber] RootUsage'],
    ],
  ])('D1 D3 %s is a finding', (_name, mutate, expected) => {
    expect(findings(mutate)).toEqual(expected);
  });

  describe('denies in the topic policy, its key policy and the formatter role, read against who publishes', () => {
    const ACCOUNT = '123456789012';
    /** The shipped topic policy: TLS only, only this account publishes (services aside), its alarms may. */
    const shippedStatements = (): Mutable[] => [
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'Topic' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'OnlyThisAccountPublishes',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: { Ref: 'Topic' },
        Condition: {
          StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      },
      {
        Sid: 'ThisAccountsAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'Topic' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ];
    const withPolicy =
      (extra: Mutable[] = [], type = 'AWS::SNS::TopicPolicy') =>
      (t: Record<string, Mutable>) => {
        alerting(t).TopicPolicy = {
          Type: type,
          Properties: {
            ...(type === 'AWS::SNS::TopicPolicy' ? { Topics: [{ Ref: 'Topic' }] } : { TopicArn: { Ref: 'Topic' } }),
            PolicyDocument: { Statement: [...shippedStatements(), ...extra] },
          },
        };
      };
    const DIRECT = ['[FormatterErrors::reaches-no-subscriber] FormatterErrors'];
    const FORMATTED = ['[RootUsage::reaches-no-subscriber] RootUsage'];
    const BOTH = [...DIRECT, ...FORMATTED];

    test('D1 D3 the shipped topic policy (as a topic policy or an inline one) passes: its denies do not apply to CloudWatch or the formatter', () => {
      expect(findings(withPolicy())).toEqual([]);
      expect(findings(withPolicy([], 'AWS::SNS::TopicInlinePolicy'))).toEqual([]);
    });

    test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
      [
        'a topic policy deny of every AWS service (aws:PrincipalIsAWSService true)',
        withPolicy([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sns:Publish',
            Resource: '*',
            Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
          },
        ]),
        DIRECT,
      ],
      [
        "a topic policy deny of this account's principals (the formatter's role)",
        withPolicy([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sns:Publish',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
          },
        ]),
        FORMATTED,
      ],
      [
        'an inline topic policy (AWS::SNS::TopicInlinePolicy) denying the CloudWatch service',
        withPolicy(
          [{ Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:*', Resource: '*' }],
          'AWS::SNS::TopicInlinePolicy',
        ),
        DIRECT,
      ],
      [
        "a deny in the topic key's policy keyed on the topic's encryption context (the gate cannot rule it out)",
        (t) => {
          alerting(t).Key = {
            Type: 'AWS::KMS::Key',
            Properties: {
              KeyPolicy: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'cloudwatch.amazonaws.com' },
                    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
                    Resource: '*',
                    Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
                  },
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
                    Resource: '*',
                    Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': '*' } },
                  },
                ],
              },
            },
          };
          alerting(t).Topic.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
        },
        BOTH,
      ],
      [
        "a permissions boundary on the formatter's role that does not allow sns:Publish (an AWS managed policy)",
        (t) => (alerting(t).FormatterRole.Properties.PermissionsBoundary = 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
        FORMATTED,
      ],
      [
        "an AWS managed policy attached to the formatter's role (it may deny: AWSDenyAll)",
        (t) => (alerting(t).FormatterRole.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AWSDenyAll']),
        FORMATTED,
      ],
      [
        "a managed policy of the template denying sns:Publish, attached to the formatter's role by its ARN written out",
        (t) => {
          alerting(t).Quiet = {
            Type: 'AWS::IAM::ManagedPolicy',
            Properties: {
              ManagedPolicyName: 'quiet',
              PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'sns:Publish', Resource: '*' }] },
            },
          };
          alerting(t).FormatterRole.Properties.ManagedPolicyArns = [
            {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/quiet'],
              ],
            },
          ];
        },
        FORMATTED,
      ],
      [
        "the formatter's topic variable pointed at another account's topic by a literal ARN",
        (t) => {
          const vars = alerting(t).Formatter.Properties.Environment.Variables;
          vars.ALERT_TOPIC_ARN_PREVIOUS = vars.ALERT_TOPIC_ARN;
          vars.ALERT_TOPIC_ARN = 'arn:aws:sns:us-east-1:999999999999:collector';
        },
        FORMATTED,
      ],
      [
        'a data protection policy denying delivery, written as a JSON string',
        (t) =>
          (alerting(t).Topic.Properties.DataProtectionPolicy = JSON.stringify({
            Name: 'alerts',
            Version: '2021-06-01',
            Statement: [
              { DataDirection: 'Outbound', Principal: ['*'], DataIdentifier: ['x'], Operation: { Deny: {} } },
            ],
          })),
        BOTH,
      ],
    ])('D1 D3 %s is a finding', (_name, mutate, expected) => {
      expect(findings(mutate)).toEqual(expected);
    });

    test("D1 D3 the formatter's boundary or attached policy of its template allowing sns:Publish, and its topic by literal ARN, pass", () => {
      const allowAll = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: 'boundary',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sns:Publish', 'logs:*'], Resource: '*' }] },
        },
      };
      expect(
        findings((t) => {
          alerting(t).Boundary = allowAll;
          alerting(t).FormatterRole.Properties.PermissionsBoundary = { Ref: 'Boundary' };
          alerting(t).FormatterRole.Properties.ManagedPolicyArns = [`arn:aws:iam::${ACCOUNT}:policy/boundary`];
        }),
      ).toEqual([]);
      expect(
        findings((t) => {
          alerting(t).Topic.Properties.TopicName = 'app-prod-alerts';
          alerting(t).Formatter.Properties.Environment.Variables.ALERT_TOPIC_ARN =
            `arn:aws:sns:us-east-1:${ACCOUNT}:app-prod-alerts`;
        }),
      ).toEqual([]);
    });
  });

  test('D1 D3 a configured address not subscribed (replaced by another) is a finding on the alert topic', () => {
    expect(
      findings((t) => (alerting(t).Subscription.Properties.Endpoint = 'someone-else@example.net'), [EMAIL]),
    ).toEqual(['[Subscription::subscriber-not-in-config] Subscription', '[Topic::subscriber-missing] Topic']);
    expect(findings(undefined, [EMAIL, 'https://pager.example.org/hook'])).toEqual([
      '[Topic::subscriber-missing] Topic',
    ]);
  });

  test('D3 U6 a subscription of any topic to a person or URL config does not name is a finding (queues and functions are judged by their account)', () => {
    // The attacker review of 2026-12-04, second round: CloudTrail calls to an in-account topic, then to an https URL.
    const extra = (protocol: string, endpoint: unknown) => (t: Record<string, Mutable>) => {
      alerting(t).Exfil = { Type: 'AWS::SNS::Topic', Properties: {} };
      alerting(t).ExfilSub = {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'Exfil' }, Protocol: protocol, Endpoint: endpoint },
      };
    };
    expect(findings(extra('https', 'https://collector.example.net/sns'), [EMAIL])).toEqual([
      '[ExfilSub::subscriber-not-in-config] ExfilSub',
    ]);
    expect(findings(extra('email', EMAIL.toUpperCase()), [EMAIL])).toEqual([]);
    expect(findings(extra('sqs', 'arn:aws:sqs:us-east-1:123456789012:q'), [EMAIL])).toEqual([]);
    expect(
      findings(
        (t) =>
          (alerting(t).Inline = {
            Type: 'AWS::SNS::Topic',
            Properties: { Subscription: [{ Protocol: 'sms', Endpoint: '+15550100' }] },
          }),
        [EMAIL],
      ),
    ).toEqual(['[Inline.Subscription0::subscriber-not-in-config] Inline']);
    // Without config's endpoints, not judged.
    expect(findings(extra('https', 'https://collector.example.net/sns'))).toEqual([]);
    // A mobile application endpoint reaches outside the account as well.
    expect(
      findings(extra('application', 'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/0f9a0a38'), [EMAIL]),
    ).toEqual(['[ExfilSub::subscriber-not-in-config] ExfilSub']);
  });

  test("U6 E1 A3 an sqs, lambda or firehose subscription delivers to a resource of the topic's account, with or without config", () => {
    // Left open by the attacker review of 2026-12-04: a queue of another account subscribed to a topic that receives
    // CloudTrail calls passed.
    const extra = (protocol: string, endpoint: unknown) => (t: Record<string, Mutable>) => {
      alerting(t).Exfil = { Type: 'AWS::SNS::Topic', Properties: {} };
      alerting(t).Queue = { Type: 'AWS::SQS::Queue', Properties: {} };
      alerting(t).Param = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } };
      alerting(t).ExfilSub = {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'Exfil' }, Protocol: protocol, Endpoint: endpoint },
      };
    };
    const outside: [string, unknown][] = [
      ['sqs', 'arn:aws:sqs:us-east-1:999999999999:collector'],
      ['SQS', { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:999999999999:collector' }],
      ['lambda', 'arn:aws:lambda:us-east-1:999999999999:function:collector'],
      ['firehose', { 'Fn::Join': [':', ['arn:aws:firehose:us-east-1', '999999999999', 'deliverystream/c']] }],
      ['sqs', { 'Fn::ImportValue': 'Collector:QueueArn' }],
      ['sqs', { 'Fn::GetAtt': ['Param', 'Value'] }],
      ['sqs', { 'Fn::Sub': ['arn:aws:sqs:us-east-1:${A}:q', { A: { 'Fn::GetAtt': ['Param', 'Value'] } }] }],
      ['sqs', 'arn:aws:lambda:us-east-1:123456789012:function:q'],
      ['sqs', { 'Fn::If': ['C', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'arn:aws:sqs:us-east-1:999999999999:q'] }],
    ];
    for (const [protocol, endpoint] of outside) {
      for (const endpoints of [undefined, [EMAIL]]) {
        expect({ protocol, endpoint, found: findings(extra(protocol, endpoint), endpoints) }).toEqual({
          protocol,
          endpoint,
          found: ['[ExfilSub::subscriber-outside-account] ExfilSub'],
        });
      }
    }
    const inside: [string, unknown][] = [
      ['sqs', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
      ['sqs', 'arn:aws:sqs:us-west-2:123456789012:q'],
      ['lambda', { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f' }],
      ['lambda', gso('app-prod-alerting', 'FormatterArn')],
    ];
    for (const [protocol, endpoint] of inside) {
      expect({ protocol, endpoint, found: findings(extra(protocol, endpoint), [EMAIL]) }).toEqual({
        protocol,
        endpoint,
        found: [],
      });
    }
  });
});
