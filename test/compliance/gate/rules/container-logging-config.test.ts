import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const RULE = 'ContainerLogsToManagedLogGroup';
type Json = Record<string, unknown>;

/** The fixture template, with a condition C for the values only deploy resolves. */
const withTask = (logging?: unknown): Json => ({
  ...template({ ApiLogs: group(), Other: { Type: 'AWS::SNS::Topic', Properties: {} }, Task: taskDefinition(logging) }),
  Conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
});
const group = (props: Json = {}): Json => ({
  Type: 'AWS::Logs::LogGroup',
  ...RETAIN,
  Properties: { RetentionInDays: 2192, KmsKeyId: KEY_ARN, ...props },
});
/** A task definition whose one container logs with `logging` (undefined: no LogConfiguration). */
const taskDefinition = (logging?: unknown): Json => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: {
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: '256',
    Memory: '512',
    ContainerDefinitions: [
      { Name: 'api', Image: 'nginx', Essential: true, ...(logging !== undefined ? { LogConfiguration: logging } : {}) },
    ],
  },
});
/** The shipped shape: awslogs to the task's own log group, by Ref, in the stack's region. */
const awslogs = (options: Json = {}): Json => ({
  LogDriver: 'awslogs',
  Options: {
    'awslogs-group': { Ref: 'ApiLogs' },
    'awslogs-stream-prefix': 'api',
    'awslogs-region': 'us-east-1',
    mode: 'blocking',
    ...options,
  },
});

describe('ContainerLogsToManagedLogGroup', () => {
  test('U3 U4 E2 passes on the shipped shape (awslogs to a log group of its stack by Ref) and with AWS::Region', () => {
    expect(findingsOf(RULE, template({ ApiLogs: group(), Task: taskDefinition(awslogs()) }))).toEqual([]);
    const pseudo = awslogs({ 'awslogs-region': { Ref: 'AWS::Region' }, 'awslogs-create-group': 'false' });
    expect(findingsOf(RULE, template({ ApiLogs: group(), Task: taskDefinition(pseudo) }))).toEqual([]);
  });

  test.each<[string, unknown, string[]]>([
    [
      'a literal group name the driver creates (awslogs-create-group true)',
      awslogs({ 'awslogs-group': '/ecs/hipaa-prod-api', 'awslogs-create-group': 'true' }),
      ['[awslogs-create-group::true] Task', '[awslogs-group::not-a-log-group-of-this-stack] Task'],
    ],
    [
      'the group of the stack with awslogs-create-group true (boolean)',
      awslogs({ 'awslogs-create-group': true }),
      ['[awslogs-create-group::true] Task'],
    ],
    [
      'a literal group name equal to nothing judged',
      awslogs({ 'awslogs-group': '/ecs/other' }),
      ['[awslogs-group::not-a-log-group-of-this-stack] Task'],
    ],
    [
      "another stack's group (an import)",
      awslogs({ 'awslogs-group': { 'Fn::ImportValue': 'shared-logs' } }),
      ['[awslogs-group::not-a-log-group-of-this-stack] Task'],
    ],
    [
      'the group chosen by a condition',
      awslogs({ 'awslogs-group': { 'Fn::If': ['C', { Ref: 'ApiLogs' }, '/ecs/x'] } }),
      ['[awslogs-group::not-a-log-group-of-this-stack] Task'],
    ],
    [
      'a Ref to something that is not a log group',
      awslogs({ 'awslogs-group': { Ref: 'Other' } }),
      ['[awslogs-group::not-a-log-group-of-this-stack] Task'],
    ],
    [
      'the splunk driver to an external URL',
      {
        LogDriver: 'splunk',
        Options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-format': 'raw' },
        SecretOptions: [{ Name: 'splunk-token', ValueFrom: 'arn:aws:ssm:us-east-1:222222222222:parameter/t' }],
      },
      ['[LogDriver::splunk] Task'],
    ],
    [
      'FireLens (the blueprint ships none)',
      { LogDriver: 'awsfirelens', Options: {} },
      ['[LogDriver::awsfirelens] Task'],
    ],
    [
      'a driver chosen by a condition',
      { LogDriver: { 'Fn::If': ['C', 'awslogs', 'splunk'] } },
      ['[LogDriver::unresolved] Task'],
    ],
    ['no log configuration', undefined, ['[LogConfiguration::unset] Task']],
    [
      'a log configuration only deploy resolves',
      { 'Fn::If': ['C', awslogs(), { Ref: 'AWS::NoValue' }] },
      ['[LogConfiguration::unresolved] Task'],
    ],
    [
      'an option the rule does not know',
      awslogs({ 'awslogs-endpoint': 'https://logs.example.com' }),
      ['[Options::awslogs-endpoint] Task'],
    ],
    ['no region', awslogs({ 'awslogs-region': undefined }), ['[awslogs-region::not-this-region] Task']],
    [
      'a region only deploy knows',
      awslogs({ 'awslogs-region': { 'Fn::ImportValue': 'region' } }),
      ['[awslogs-region::not-this-region] Task'],
    ],
  ])('U3 U4 E2 fires on %s', (_name, logging, expected) => {
    expect(findingsOf(RULE, withTask(logging))).toEqual(expected);
  });

  test('U3 U4 E2 fires on container definitions only deploy resolves, and on each bad container', () => {
    const t = withTask(awslogs()) as { Resources: Record<string, { Properties: Json }> };
    t.Resources.Task!.Properties.ContainerDefinitions = { 'Fn::If': ['C', [], []] };
    expect(findingsOf(RULE, t)).toEqual(['[ContainerDefinitions::unresolved] Task']);
    const two = withTask(awslogs()) as { Resources: Record<string, { Properties: { ContainerDefinitions: Json[] } }> };
    two.Resources.Task!.Properties.ContainerDefinitions.push({
      Name: 'sidecar',
      Image: 'nginx',
      LogConfiguration: { LogDriver: 'syslog', Options: { 'syslog-address': 'tcp://203.0.113.1:514' } },
    });
    expect(findingsOf(RULE, two)).toEqual(['[LogDriver::syslog] Task']);
  });

  test("U3 U4 E2 an ECS service's Service Connect proxy logs as a container does, without query parameters", () => {
    // The attacker review of 2026-12-04, third round: Envoy's access logs, with query parameters, to a group the awslogs
    // driver created passed.
    const service = (config: unknown): Json =>
      template({
        ApiLogs: group(),
        Task: taskDefinition(awslogs()),
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: { Ref: 'Task' }, ServiceConnectConfiguration: config },
        },
      });
    const connect = (extra: Json = {}): Json => ({
      Enabled: true,
      Namespace: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1',
      ...extra,
    });
    expect(findingsOf(RULE, service(connect()))).toEqual([]);
    expect(
      findingsOf(
        RULE,
        service(
          connect({
            LogConfiguration: awslogs(),
            AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        RULE,
        service(
          connect({
            LogConfiguration: awslogs({ 'awslogs-group': '/ecs/service-connect/api', 'awslogs-create-group': 'true' }),
            AccessLogConfiguration: { Format: 'TEXT', IncludeQueryParameters: 'ENABLED' },
          }),
        ),
      ),
    ).toEqual([
      '[ServiceConnect.IncludeQueryParameters::not-DISABLED] Service',
      '[ServiceConnect.awslogs-create-group::true] Service',
      '[ServiceConnect.awslogs-group::not-a-log-group-of-this-stack] Service',
    ]);
    expect(findingsOf(RULE, service(connect({ LogConfiguration: { LogDriver: 'splunk', Options: {} } })))).toEqual([
      '[ServiceConnect.LogDriver::splunk] Service',
    ]);
  });
});
