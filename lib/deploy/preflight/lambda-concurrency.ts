import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { resourcesOf } from '../core/assembly';
import { error, Finding } from '../core/finding';
import { isError } from '../core/sdk-error';
import { PreflightCheck, PreflightContext } from './context';

const CHECK = 'lambda concurrency';

/** AWS keeps at least this much of the account's concurrency unreserved. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

/** Lambda's "Concurrent executions" quota (Service Quotas). */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

/** One function of the templates that reserves concurrency. */
interface Reservation {
  readonly stackName: string;
  readonly logicalId: string;
  readonly reserved: number;
}

/** Every function of the synthesized templates with ReservedConcurrentExecutions, by region. */
export function reservationsByRegion(ctx: Pick<PreflightContext, 'assembly'>): Map<string, Reservation[]> {
  const byRegion = new Map<string, Reservation[]>();
  for (const stack of ctx.assembly.stacks) {
    for (const [logicalId, resource] of resourcesOf(stack)) {
      const reserved = resource.Properties?.ReservedConcurrentExecutions;
      if (resource.Type !== 'AWS::Lambda::Function' || typeof reserved !== 'number' || reserved <= 0) continue;
      byRegion.set(stack.region, [
        ...(byRegion.get(stack.region) ?? []),
        { stackName: stack.stackName, logicalId, reserved },
      ]);
    }
  }
  return byRegion;
}

/** What the function reserves today (0 when its stack or the function does not exist yet). */
async function currentReservation(ctx: PreflightContext, region: string, r: Reservation): Promise<number> {
  const stack = ctx.deployed.get(r.stackName);
  const fn = stack?.resources.find((x) => x.logicalId === r.logicalId && x.type === 'AWS::Lambda::Function');
  if (!fn?.physicalId || fn.status === 'DELETE_COMPLETE') return 0;
  try {
    const out = await ctx.clients
      .lambda(region)
      .send(new GetFunctionConcurrencyCommand({ FunctionName: fn.physicalId }));
    return out.ReservedConcurrentExecutions ?? 0;
  } catch (e) {
    if (isError(e, 'ResourceNotFoundException')) return 0;
    throw e;
  }
}

/**
 * Lambda concurrency: the account's unreserved concurrency must still be at least 100 after the
 * reservations this deploy adds (the sum of ReservedConcurrentExecutions in the synthesized templates,
 * minus what the already deployed functions reserve). New accounts can start far below that.
 */
export const checkLambdaConcurrency: PreflightCheck = async (ctx) => {
  const findings: Finding[] = [];
  for (const [region, reservations] of reservationsByRegion(ctx)) {
    let added = 0;
    for (const r of reservations) added += Math.max(0, r.reserved - (await currentReservation(ctx, region, r)));
    if (added === 0) continue;
    const settings = await ctx.clients.lambda(region).send(new GetAccountSettingsCommand({}));
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
    const limit = settings.AccountLimit?.ConcurrentExecutions ?? 0;
    if (unreserved - added >= MIN_UNRESERVED_CONCURRENCY) continue;
    const desired = Math.max(1000, limit + added + MIN_UNRESERVED_CONCURRENCY - unreserved);
    const what = reservations.map((r) => `${r.stackName} ${r.logicalId}: ${r.reserved}`).join(', ');
    findings.push(
      error(
        CHECK,
        `Lambda in ${region}: unreserved concurrency is ${unreserved} (account limit ${limit}) and this deploy reserves ` +
          `${added} more (${what}); AWS requires ${MIN_UNRESERVED_CONCURRENCY} to stay unreserved, so the stack would fail ` +
          `to create. Request more and wait for it: \`aws service-quotas request-service-quota-increase --region ${region} ` +
          `--service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${desired}\``,
      ),
    );
  }
  return findings;
};
