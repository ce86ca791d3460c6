import { one, Probe, Templates } from './probe';

/** The statements of the network stack's endpoint whose logical id starts with `prefix` (PhiVpcS3, PhiVpcEndpointsns). */
const statementsOf = (t: Templates, prefix: string) =>
  one(t, 'network', 'AWS::EC2::VPCEndpoint', (_r, id) => id.startsWith(prefix))[1].Properties.PolicyDocument
    .Statement as unknown[];

/** This account's id as the prod templates state it in the endpoint conditions. */
const account = (t: Templates): unknown =>
  (statementsOf(t, 'PhiVpcEndpointsns')[0] as { Condition: { StringEquals: Record<string, unknown> } }).Condition
    .StringEquals['aws:PrincipalAccount'];

/** The attacker review of the VPC endpoint policy exemptions: statements that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: "N3 U6 the PHI VPC's S3 gateway endpoint allowing writes to another account's object named exactly",
    safeguards: ['N3', 'U6'],
    mutate: (t) =>
      statementsOf(t, 'PhiVpcS3').push({
        Sid: 'PartnerDrop',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::atk-sink-bucket-999999999999/drop/export.bin',
      }),
    caughtBy: /VpcEndpointPolicyThisAccount\[Statement\d+-any-resource\]/,
  },
  {
    name: "N3 U6 the PHI VPC's SNS interface endpoint allowing sns:Publish on any account's topic (action listed alone)",
    safeguards: ['N3', 'U6'],
    mutate: (t) =>
      statementsOf(t, 'PhiVpcEndpointsns').push({
        Effect: 'Allow',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': account(t) } },
      }),
    caughtBy: /VpcEndpointPolicyThisAccount\[Statement\d+-any-resource-account\]/,
  },
];
