import { DescribeConfigurationRecordersCommand, DescribeDeliveryChannelsCommand } from '@aws-sdk/client-config-service';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetMacieSessionCommand } from '@aws-sdk/client-macie2';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { DescribeDocumentCommand } from '@aws-sdk/client-ssm';
import { AssemblyStack, resourcesOf } from '../core/assembly';
import { liveResources } from '../core/deployed-state';
import { error, Finding } from '../core/finding';
import { errorMessage, isError } from '../core/sdk-error';
import { CONFIG_FILE, SESSION_MANAGER_DOCUMENT } from '../core/stacks';
import { PreflightCheck, PreflightContext } from './context';

const CHECK = 'account singletons';

/** What exists in the account for one singleton (undefined: nothing). */
type Existing = string | undefined;

/** An account-and-region singleton the environment may create, how to find it, and the switch that skips it. */
export interface Singleton {
  /** Resource type in the templates. */
  readonly type: string;
  readonly label: string;
  /** Resource types in our stack that make an existing singleton ours. */
  readonly ownTypes: readonly string[];
  /** Describes the singleton the account has in the region, if any. */
  readonly find: (ctx: PreflightContext, region: string) => Promise<Existing>;
  /** What to do when one exists that is not ours. */
  readonly remedy: (ctx: PreflightContext, region: string) => string;
}

function flip(ctx: PreflightContext, field: string): string {
  return `set ${field}: false for environment '${ctx.config.envName}' in ${CONFIG_FILE}; the existing one then serves D2 (npm run verify checks it is on)`;
}

/** The singletons preflight checks (the SSM document is handled by name, see checkSingletons). */
export const SINGLETONS: readonly Singleton[] = [
  {
    type: 'AWS::GuardDuty::Detector',
    label: 'GuardDuty detector',
    ownTypes: ['AWS::GuardDuty::Detector'],
    find: async (ctx, region) => {
      const out = await ctx.clients.guardDuty(region).send(new ListDetectorsCommand({}));
      return out.DetectorIds?.length ? `detector ${out.DetectorIds.join(', ')}` : undefined;
    },
    remedy: (ctx) => flip(ctx, 'detection.guardDuty'),
  },
  {
    type: 'AWS::SecurityHub::Hub',
    label: 'Security Hub',
    ownTypes: ['AWS::SecurityHub::Hub'],
    find: async (ctx, region) => {
      try {
        const out = await ctx.clients.securityHub(region).send(new DescribeHubCommand({}));
        return `hub ${out.HubArn ?? '(enabled)'}`;
      } catch (e) {
        if (isError(e, 'InvalidAccessException', 'ResourceNotFoundException')) return undefined;
        throw e;
      }
    },
    remedy: (ctx) => flip(ctx, 'detection.securityHub'),
  },
  {
    type: 'AWS::Macie::Session',
    label: 'Macie session',
    ownTypes: ['AWS::Macie::Session'],
    find: async (ctx, region) => {
      try {
        const out = await ctx.clients.macie(region).send(new GetMacieSessionCommand({}));
        return `session ${out.status ?? '(enabled)'}`;
      } catch (e) {
        // Macie answers 403 "Macie is not enabled" for an account without a session.
        if (isError(e, 'AccessDeniedException') && /not enabled/i.test(errorMessage(e))) return undefined;
        if (isError(e, 'ResourceNotFoundException')) return undefined;
        throw e;
      }
    },
    remedy: (ctx) => flip(ctx, 'detection.macie'),
  },
  {
    type: 'AWS::Config::ConfigurationRecorder',
    label: 'AWS Config recorder',
    ownTypes: ['AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel'],
    find: async (ctx, region) => {
      const client = ctx.clients.configService(region);
      const recorders = await client.send(new DescribeConfigurationRecordersCommand({}));
      const channels = await client.send(new DescribeDeliveryChannelsCommand({}));
      const found = [
        ...(recorders.ConfigurationRecorders ?? []).map((r) => `recorder ${r.name}`),
        ...(channels.DeliveryChannels ?? []).map((c) => `delivery channel ${c.name}`),
      ];
      return found.length ? found.join(', ') : undefined;
    },
    remedy: (ctx) => flip(ctx, 'detection.config'),
  },
];

function stacksWith(ctx: PreflightContext, type: string, name?: string): AssemblyStack[] {
  return ctx.assembly.stacks.filter((s) =>
    resourcesOf(s).some(([, r]) => r.Type === type && (name === undefined || r.Properties?.Name === name)),
  );
}

/**
 * Account-level singletons (one per account and region): GuardDuty detector, Security Hub, Macie
 * session, AWS Config recorder and delivery channel, and the Session Manager preferences document
 * SSM-SessionManagerRunShell. When the environment would create one and the account already has one
 * that is not in our stack, the deploy would fail: refuse and name the config switch (or, for the
 * document, how to delete or import it).
 */
export const checkSingletons: PreflightCheck = async (ctx) => {
  const findings: Finding[] = [];
  for (const singleton of SINGLETONS) {
    for (const stack of stacksWith(ctx, singleton.type)) {
      const ours = singleton.ownTypes.some((t) => liveResources(ctx.deployed.get(stack.stackName), t).length > 0);
      if (ours) continue;
      const existing = await singleton.find(ctx, stack.region);
      if (existing === undefined) continue;
      findings.push(
        error(
          CHECK,
          `${singleton.label} already exists in ${ctx.config.account}/${stack.region} (${existing}) and is not in stack ` +
            `${stack.stackName} (Control Tower, an organization administrator or a manual set-up?); creating a second ` +
            `one fails the deploy: ${singleton.remedy(ctx, stack.region)}`,
        ),
      );
    }
  }
  for (const stack of stacksWith(ctx, 'AWS::SSM::Document', SESSION_MANAGER_DOCUMENT)) {
    const ours = liveResources(ctx.deployed.get(stack.stackName), 'AWS::SSM::Document').some(
      (r) => r.physicalId === SESSION_MANAGER_DOCUMENT,
    );
    if (ours) continue;
    try {
      await ctx.clients.ssm(stack.region).send(new DescribeDocumentCommand({ Name: SESSION_MANAGER_DOCUMENT }));
    } catch (e) {
      if (isError(e, 'InvalidDocument')) continue;
      throw e;
    }
    findings.push(
      error(
        CHECK,
        `Session Manager preferences document ${SESSION_MANAGER_DOCUMENT} already exists in ${ctx.config.account}/${stack.region} ` +
          `and is not in stack ${stack.stackName} (saving Session Manager preferences in the console creates it), so ` +
          `creating it fails the deploy. It holds only preferences, which the stack replaces with the blueprint's ` +
          `(KMS-encrypted sessions, 15-minute idle timeout, logging): delete it with \`aws ssm delete-document --name ` +
          `${SESSION_MANAGER_DOCUMENT} --region ${stack.region}\`, or keep it by importing it into the stack ` +
          `(\`npx cdk import -c env=${ctx.config.envName} ${stack.displayName}\`, see README "Deploy")`,
      ),
    );
  }
  return findings;
};
