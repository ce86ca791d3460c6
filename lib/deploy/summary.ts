import { BlueprintConfig } from '../config';
import { DeployedState } from './core/deployed-state';
import { PostDeployResult } from './post-deploy/context';
import { allStackRefs, OUTPUTS, OutputRef, serviceRepositoryOutput, stackName } from './core/stacks';

/** What the summary is made of. */
export interface SummaryInput {
  readonly config: BlueprintConfig;
  /** The stacks after the deploy. */
  readonly deployed: DeployedState;
  readonly postDeploy: readonly PostDeployResult[];
}

/** The final summary of a deploy: stacks and status, key outputs, post-deploy results, what is left to a human. */
export function renderSummary({ config, deployed, postDeploy }: SummaryInput): string[] {
  const out = (ref: OutputRef): string | undefined =>
    deployed.get(stackName(config, ref.role))?.outputs[ref.outputName];
  const lines: string[] = [
    `Environment '${config.envName}': account ${config.account}, ${config.region} (PHI replica in ${config.phiBucket.replicaRegion})`,
    'Stacks:',
  ];
  for (const ref of allStackRefs(config)) {
    const s = deployed.get(ref.stackName);
    if (s || ref.role !== 'detection') lines.push(`  ${ref.stackName.padEnd(32)} ${s?.status ?? 'NOT DEPLOYED'}`);
  }
  const dns = out(OUTPUTS.loadBalancerDnsName);
  const url = out(OUTPUTS.applicationUrl);
  const topic = out(OUTPUTS.alertTopicArn);
  const pool = out(OUTPUTS.userPoolId);
  lines.push('Outputs:');
  lines.push(`  load balancer DNS name   ${dns ?? '(none)'}`);
  lines.push(`  application URL          ${url ?? '(none)'}`);
  lines.push(`  alert topic              ${topic ?? '(none)'}`);
  lines.push(`  user pool                ${pool ?? '(none)'}`);
  if (postDeploy.length > 0) {
    lines.push('Post-deploy steps:');
    for (const r of postDeploy) lines.push(`  ${r.step.padEnd(26)} ${r.status}: ${r.detail}`);
  }

  const todo: string[] = [];
  todo.push(
    `Confirm the SNS subscription e-mail sent to ${config.alertEmails.join(', ')}: alerts reach nobody until each is confirmed`,
  );
  const requires = out(OUTPUTS.deployRequires);
  if (requires) todo.push(`The app stack needs ${requires}`);
  if (!config.domain) {
    todo.push(
      `${stackName(config, 'app')} was not deployed: set domain (name, and certificateArn or hostedZoneId + hostedZoneName) for '${config.envName}' in lib/config/environments.ts and run the deploy again`,
    );
  }
  if (config.domain && dns) todo.push(`Point an alias (or CNAME) record for ${config.domain.name} at ${dns}`);
  todo.push(
    `Create application users: \`aws cognito-idp admin-create-user --region ${config.region} --user-pool-id ${pool ?? '<UserPoolId>'} --username USER\` (each registers an authenticator app at first sign-in)`,
  );
  for (const s of config.services.filter((x) => x.awaitingFirstImage)) {
    const repository =
      out(serviceRepositoryOutput(s.name)) ??
      `the ${serviceRepositoryOutput(s.name).outputName} output of ${stackName(config, 'app')}`;
    todo.push(
      `Push image tag ${s.imageTag} to ${repository}, set awaitingFirstImage: false for '${s.name}', and deploy again (it runs 0 tasks until then)`,
    );
  }
  if (config.services.length > 0) {
    todo.push(
      `Check that access-audit events (U5) reach their object-locked bucket: request one record through ${config.services.map((s) => `'${s.name}'`).join(', ')}, then after about a minute the stream's DeliveryToS3.Success metric is 1 and an object exists under events/ of the AccessAuditBucketName output of ${stackName(config, 'audit')} (Firehose delivery into a bucket with a default Object Lock retention is not stated by the AWS documentation: README, Access audit)`,
    );
  }
  for (const r of postDeploy.filter((x) => x.status === 'pending' || x.status === 'failed')) {
    todo.push(
      r.status === 'pending'
        ? `${r.step} is pending (see above): run the deploy again later`
        : `${r.step} failed (see above): fix it and run the deploy again`,
    );
  }
  if (config.detection.macie) {
    todo.push(
      `Macie jobs are regional: the PHI replica bucket in ${config.phiBucket.replicaRegion} is classified only if you enable Macie and a job there`,
    );
  }
  todo.push(
    `Accept the AWS BAA in AWS Artifact for account ${config.account} before any PHI arrives (cannot be checked from here)`,
  );
  todo.push(`Check the runtime state of each safeguard: \`npm run verify -- --env ${config.envName}\``);
  lines.push('Left to a human:');
  lines.push(...todo.map((t) => `  - ${t}`));
  return lines;
}
