import { literalNumber, RuleLine, show } from '../core/rule-context';
import { plural, props, RuleSet } from './pricing-rule';

/** Ephemeral storage Fargate includes with every task (GB). */
export const FARGATE_INCLUDED_STORAGE_GB = 20;

/** How an ECS service runs its tasks: launch type or capacity provider strategy. */
function fargateMode(p: Readonly<Record<string, unknown>>): 'FARGATE' | 'FARGATE_SPOT' | 'OTHER' {
  if (p.LaunchType === 'FARGATE') return 'FARGATE';
  const strategy = Array.isArray(p.CapacityProviderStrategy)
    ? (p.CapacityProviderStrategy as { CapacityProvider?: string }[])
    : [];
  if (strategy.length === 1 && strategy[0]!.CapacityProvider === 'FARGATE') return 'FARGATE';
  if (strategy.some((s) => s.CapacityProvider === 'FARGATE_SPOT')) return 'FARGATE_SPOT';
  return 'OTHER';
}

/** Fargate services, Lambda functions, ECR repositories, ECS clusters. */
export const COMPUTE_RULES: RuleSet = {
  /**
   * A Fargate service runs DesiredCount tasks around the clock (CloudFormation's default is 1).
   * Each task bills its task definition's vCPU and memory, at ARM or x86 prices by RuntimePlatform
   * (x86 when absent). DesiredCount 0 (awaiting the first image) is a $0 line, not a gap.
   */
  'AWS::ECS::Service': (r, ctx) => {
    const p = props(r);
    const mode = fargateMode(p);
    if (mode === 'FARGATE_SPOT') return { notPriced: 'CapacityProviderStrategy uses FARGATE_SPOT: spot prices vary' };
    if (mode === 'OTHER') {
      return {
        notPriced: `LaunchType = ${show(p.LaunchType)}: only Fargate services are priced (EC2 capacity is its instances')`,
      };
    }
    const desired = p.DesiredCount === undefined ? 1 : literalNumber(p.DesiredCount);
    if (desired === undefined) return { notPriced: `DesiredCount = ${show(p.DesiredCount)}: not a literal number` };
    const taskDef = ctx.resolveRef(p.TaskDefinition);
    if (!taskDef || taskDef.resource.Type !== 'AWS::ECS::TaskDefinition') {
      return { notPriced: `TaskDefinition = ${show(p.TaskDefinition)}: not a task definition in the same template` };
    }
    const td = props(taskDef.resource);
    const cpu = literalNumber(td.Cpu);
    const memory = literalNumber(td.Memory);
    if (cpu === undefined || memory === undefined) {
      return {
        notPriced: `${taskDef.logicalId}.Cpu/Memory = ${show(td.Cpu)}/${show(td.Memory)}: task-level sizes are required`,
      };
    }
    const platform = (td.RuntimePlatform ?? {}) as { CpuArchitecture?: string; OperatingSystemFamily?: string };
    const os = platform.OperatingSystemFamily ?? 'LINUX';
    if (os !== 'LINUX')
      return { notPriced: `RuntimePlatform.OperatingSystemFamily = ${show(os)}: only Linux is priced` };
    const arm = platform.CpuArchitecture === 'ARM64';
    const arch = arm ? 'linuxArm' : 'linuxX86';
    const archLabel = arm ? 'ARM64' : 'x86_64';
    const vcpu = cpu / 1024;
    const gb = memory / 1024;
    const taskHours = desired * ctx.hours;
    const why = desired === 0 ? 'DesiredCount 0 in the template (awaiting the first image)' : undefined;
    const lines: RuleLine[] = [
      ctx.line({
        category: 'Fargate tasks',
        billed: `${plural(desired, 'task')} x ${vcpu} vCPU (${archLabel})`,
        priceId: `fargate.${arch}.vcpuHour`,
        quantity: vcpu * taskHours,
        quantityText: `${desired} x ${vcpu} vCPU x ${ctx.hours} h`,
        note: why,
      }),
      ctx.line({
        category: 'Fargate tasks',
        billed: `${plural(desired, 'task')} x ${gb} GB memory (${archLabel})`,
        priceId: `fargate.${arch}.gbHour`,
        quantity: gb * taskHours,
        quantityText: `${desired} x ${gb} GB x ${ctx.hours} h`,
        note: why,
      }),
    ];
    const storage = literalNumber((td.EphemeralStorage as { SizeInGiB?: unknown } | undefined)?.SizeInGiB);
    if (storage !== undefined && storage > FARGATE_INCLUDED_STORAGE_GB) {
      const extra = storage - FARGATE_INCLUDED_STORAGE_GB;
      lines.push(
        ctx.line({
          category: 'Fargate tasks',
          billed: `${plural(desired, 'task')} x ${extra} GB ephemeral storage beyond ${FARGATE_INCLUDED_STORAGE_GB} GB`,
          priceId: 'fargate.ephemeralStorage.gbHour',
          quantity: extra * taskHours,
          quantityText: `${desired} x ${extra} GB x ${ctx.hours} h`,
        }),
      );
    }
    return { lines };
  },

  'AWS::Lambda::Function': (r, ctx) => {
    const archs = props(r).Architectures;
    const arm = Array.isArray(archs) && archs.includes('arm64');
    return {
      usage: [
        ctx.usage(
          'lambda.requests.perMillion',
          'AWS Lambda',
          'requests',
          'invocations (alerts, deploy-time custom resources)',
        ),
        ctx.usage(
          arm ? 'lambda.arm.gbSecond' : 'lambda.x86.gbSecond',
          'AWS Lambda',
          `compute (${arm ? 'arm64' : 'x86_64'})`,
          'invocations x duration x memory',
        ),
      ],
    };
  },

  'AWS::ECR::Repository': (_r, ctx) => ({
    usage: [ctx.usage('ecr.storage.gbMonth', 'Amazon ECR', 'image storage', 'size of the pushed images')],
  }),

  'AWS::ECS::Cluster': (r, ctx) => {
    const settings = Array.isArray(props(r).ClusterSettings)
      ? (props(r).ClusterSettings as { Name?: string; Value?: string }[])
      : [];
    const insights = settings.find((s) => s.Name === 'containerInsights')?.Value;
    if (insights === 'enabled' || insights === 'enhanced') {
      return {
        usage: [
          ctx.usage(
            'cloudwatch.containerInsights.enhanced',
            'Amazon CloudWatch',
            `Container Insights (${insights})`,
            'running tasks and containers (none while the services have 0 tasks)',
          ),
        ],
      };
    }
    return { free: 'ECS cluster: no charge of its own' };
  },
};
