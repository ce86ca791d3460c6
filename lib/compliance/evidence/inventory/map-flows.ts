/**
 * The flows of the map: the request path (WAF -> load balancer listeners -> target groups ->
 * services), data access from workloads to stores (security groups and IAM grants), replication,
 * log flows, alert flows (alarms and EventBridge rules -> formatter -> topic) and backup.
 */
import { describeKey, resolveKey } from './encryption';
import { chunk, list, MapCanvas, obj, shortName } from './map-canvas';
import { EdgeKind } from './map-model';
import { IndexedResource, InventoryStack } from './template-index';

function summarizeActions(actions: readonly string[]): string {
  const unique = [...new Set(actions)].sort();
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} +${unique.length - 3}`;
}

export function drawRequestPath(c: MapCanvas): void {
  const wafOf = new Map<string, IndexedResource>();
  for (const a of c.index.ofType('AWS::WAFv2::WebACLAssociation')) {
    const alb = c.index.resolveOne(a.properties.ResourceArn, a.stack);
    const acl = c.index.resolveOne(a.properties.WebACLArn, a.stack);
    if (alb?.kind === 'resource' && acl?.kind === 'resource') wafOf.set(alb.target.key, acl.target);
    else if (alb?.kind === 'resource' && acl?.kind === 'unresolved') c.unresolvedNode(acl.text, acl.reason);
  }
  const listenersOf = new Map<string, IndexedResource[]>();
  for (const l of c.index.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
    const lb = c.index.resolveOne(l.properties.LoadBalancerArn, l.stack);
    if (lb?.kind === 'resource') listenersOf.set(lb.target.key, [...(listenersOf.get(lb.target.key) ?? []), l]);
  }
  for (const lb of c.index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const lbNode = c.nodeFor(lb);
    const listeners = listenersOf.get(lb.key) ?? [];
    const ports = listeners
      .map(
        (l) =>
          `${c.index.flatten(l.properties.Protocol, l.stack) ?? '?'} ${String(c.index.flatten(l.properties.Port, l.stack))}`,
      )
      .join(', ');
    const internetFacing = c.index.flatten(lb.properties.Scheme, lb.stack) === 'internet-facing';
    const waf = wafOf.get(lb.key);
    if (waf) {
      const wafNode = c.nodeFor(waf, c.edgeGroup());
      if (internetFacing) c.edge(c.internet(), wafNode, 'request', ports);
      c.edge(wafNode, lbNode, 'request', 'inspected requests');
    } else if (internetFacing) {
      c.edge(c.internet(), lbNode, 'request', `${ports} (no WAF)`);
    }
    for (const l of listeners) {
      const lNode = c.addNode({
        ...c.describe(l),
        id: l.key,
        group: c.nodes.get(lbNode)?.group,
        resources: [`${l.stack.stackPath}/${l.logicalId}`],
      });
      c.nodeOf.set(l.key, lNode);
      c.edge(lbNode, lNode, 'request', '');
      forwards(c, lNode, l.properties.DefaultActions, l, 'default action');
    }
  }
  for (const rule of c.index.ofType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
    const l = c.index.resolveOne(rule.properties.ListenerArn, rule.stack);
    const from = l ? c.nodeForRef(l) : undefined;
    if (!from) continue;
    const conditions = list(rule.properties.Conditions)
      .map(obj)
      .map((cond) => {
        const values = list(obj(cond.PathPatternConfig).Values ?? obj(cond.HostHeaderConfig).Values ?? cond.Values).map(
          String,
        );
        return `${String(cond.Field)} ${values.join(' ')}`;
      });
    forwards(
      c,
      from,
      rule.properties.Actions,
      rule,
      `priority ${String(rule.properties.Priority)}: ${conditions.join(', ')}`,
    );
  }
  for (const svc of c.index.ofType('AWS::ECS::Service')) {
    for (const lb of list(svc.properties.LoadBalancers).map(obj)) {
      const tg = c.index.resolveOne(lb.TargetGroupArn, svc.stack);
      if (!tg) continue;
      const tgNode = c.nodeForRef(tg);
      const proto =
        tg.kind === 'resource' ? c.index.flatten(tg.target.properties.Protocol, tg.target.stack) : undefined;
      c.edge(tgNode, c.nodeFor(svc), 'request', `${proto ?? ''} :${String(lb.ContainerPort ?? '?')}`.trim(), [
        `container ${String(lb.ContainerName ?? '?')}`,
      ]);
    }
  }
  for (const tg of c.index.ofType('AWS::ElasticLoadBalancingV2::TargetGroup')) {
    if (c.index.flatten(tg.properties.TargetType, tg.stack) !== 'lambda') continue;
    for (const t of list(tg.properties.Targets).map(obj)) {
      for (const fn of c.nodesFor(t.Id, tg.stack, 'target')) c.edge(c.nodeFor(tg), fn, 'request', 'invokes');
    }
  }
}

function forwards(c: MapCanvas, from: string, actions: unknown, r: IndexedResource, what: string): void {
  const acts = list(actions).map(obj);
  const auth = acts.find((a) => a.Type === 'authenticate-cognito' || a.Type === 'authenticate-oidc');
  const authText = auth
    ? auth.Type === 'authenticate-cognito'
      ? ' after Cognito sign-in'
      : ' after OIDC sign-in'
    : '';
  if (auth?.Type === 'authenticate-cognito') {
    const pool = c.index.resolveOne(obj(auth.AuthenticateCognitoConfig).UserPoolArn, r.stack);
    if (pool?.kind === 'resource') {
      c.edge(from, c.nodeFor(pool.target, c.edgeGroup()), 'request', 'authenticates users');
    } else if (pool) {
      c.edge(from, c.nodeForRef(pool), 'request', 'authenticates users');
    }
  }
  for (const a of acts.filter((x) => x.Type === 'forward')) {
    const tgs = [a.TargetGroupArn, ...list(obj(a.ForwardConfig).TargetGroups).map((t) => obj(t).TargetGroupArn)].filter(
      (x) => x !== undefined,
    );
    for (const tg of tgs) {
      const ref = c.index.resolveOne(tg, r.stack);
      // A target group is drawn with the load balancer (the listener's group) that forwards to it.
      const to =
        ref?.kind === 'resource'
          ? c.nodeFor(ref.target, c.nodes.get(from)?.group)
          : ref
            ? c.nodeForRef(ref)
            : undefined;
      if (to) c.edge(from, to, 'request', `forward${authText}`, [what]);
    }
  }
}

// ---- data access (IAM grants and security groups from compute to stores) --------------------

function rolesOf(c: MapCanvas, r: IndexedResource): IndexedResource[] {
  const roleRef = (v: unknown, s: InventoryStack): IndexedResource[] =>
    c.index.targets(v, s).filter((t) => t.type === 'AWS::IAM::Role');
  if (r.type === 'AWS::Lambda::Function') return roleRef(r.properties.Role, r.stack);
  if (r.type === 'AWS::ECS::Service') {
    const td = c.index.resolveOne(r.properties.TaskDefinition, r.stack);
    return td?.kind === 'resource' ? roleRef(td.target.properties.TaskRoleArn, td.target.stack) : [];
  }
  return [];
}

function statementsOf(c: MapCanvas, role: IndexedResource): { doc: unknown; stack: InventoryStack; where: string }[] {
  const out: { doc: unknown; stack: InventoryStack; where: string }[] = [];
  for (const p of list(role.properties.Policies).map(obj)) {
    out.push({
      doc: p.PolicyDocument,
      stack: role.stack,
      where: `${role.stack.stackPath}/${role.logicalId} inline ${String(p.PolicyName)}`,
    });
  }
  for (const m of c.index.targets(role.properties.ManagedPolicyArns, role.stack)) {
    out.push({ doc: m.properties.PolicyDocument, stack: m.stack, where: `${m.stack.stackPath}/${m.logicalId}` });
  }
  for (const pol of c.index.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    if (c.index.targets(pol.properties.Roles, pol.stack).includes(role)) {
      out.push({
        doc: pol.properties.PolicyDocument,
        stack: pol.stack,
        where: `${pol.stack.stackPath}/${pol.logicalId}`,
      });
    }
  }
  return out;
}

export function drawDataAccess(c: MapCanvas): void {
  const STORE_TYPES = [
    'AWS::S3::Bucket',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
    'AWS::DynamoDB::Table',
    'AWS::SNS::Topic',
    'AWS::SQS::Queue',
    'AWS::SecretsManager::Secret',
  ];
  const NETWORK_STORES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::ElastiCache::ReplicationGroup'];
  const sgsOf = (r: IndexedResource): string[] => {
    const v = c.securityGroupsOf(r);
    return v === undefined ? [] : c.index.targets(v, r.stack).map((t) => t.key);
  };
  const ruleEdges = [...c.edges.values()].filter((e) => e.kind === 'network-rule');
  for (const compute of c.index.ofType('AWS::ECS::Service', 'AWS::Lambda::Function')) {
    type Access = { target: IndexedResource; actions: string[]; ports: string[]; where: string[] };
    const access = new Map<string, Access>();
    const entry = (t: IndexedResource): Access => {
      const a = access.get(t.key) ?? { target: t, actions: [], ports: [], where: [] };
      access.set(t.key, a);
      return a;
    };
    // IAM: what the workload's role may do to which store.
    for (const role of rolesOf(c, compute)) {
      for (const { doc, stack, where } of statementsOf(c, role)) {
        for (const st of list(obj(doc).Statement).map(obj)) {
          if (st.Effect !== 'Allow') continue;
          const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).map(String);
          const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
          for (const res of resources) {
            const targets = c.index.targets(res, stack).filter((t) => STORE_TYPES.includes(t.type));
            const text = c.index.flatten(res, stack);
            const bucket = text ? c.index.bucketNamed(text) : undefined;
            if (bucket && !targets.includes(bucket)) targets.push(bucket);
            for (const t of targets) {
              const a = entry(t);
              a.actions.push(...actions);
              a.where.push(where);
            }
          }
        }
      }
    }
    // Network: the store's security groups admit the workload's.
    const computeSgs = sgsOf(compute);
    for (const store of c.index.ofType(...NETWORK_STORES)) {
      const storeSgs = sgsOf(store);
      const rules = ruleEdges.filter((e) => computeSgs.includes(e.from) && storeSgs.includes(e.to));
      if (rules.length === 0) continue;
      const a = entry(store);
      a.ports.push(...rules.map((e) => e.label));
      a.where.push(...rules.flatMap((e) => e.detail));
    }
    if (access.size === 0) continue;
    const from = c.nodeFor(compute);
    for (const a of access.values()) {
      const kind: EdgeKind = a.target.type === 'AWS::SNS::Topic' ? 'alert' : 'data-access';
      const label = [
        ...(a.ports.length ? [`network: ${[...new Set(a.ports)].sort().join(', ')}`] : []),
        ...(a.actions.length ? [`IAM: ${summarizeActions(a.actions)}`] : []),
      ].join('\n');
      c.edge(from, c.nodeFor(a.target), kind, label, a.where);
    }
  }
}

// ---- replication -----------------------------------------------------------------------------

export function drawReplication(c: MapCanvas): void {
  for (const b of c.index.ofType('AWS::S3::Bucket')) {
    for (const rule of list(obj(b.properties.ReplicationConfiguration).Rules).map(obj)) {
      const dest = obj(rule.Destination);
      const text = c.index.flatten(dest.Bucket, b.stack);
      const ref = c.index.resolveOne(dest.Bucket, b.stack);
      const target = ref?.kind === 'resource' ? ref.target : text ? c.index.bucketNamed(text) : undefined;
      const to = target
        ? c.nodeFor(target)
        : ref?.kind === 'unresolved'
          ? c.unresolvedNode(ref.text, ref.reason)
          : c.unresolvedNode(
              `${b.stack.stackPath}/${b.logicalId} replication to ${text ?? '?'}`,
              'no bucket of that name in this synth',
            );
      const keyValue = obj(dest.EncryptionConfiguration).ReplicaKmsKeyID;
      const key = keyValue !== undefined ? describeKey(resolveKey(c.index, keyValue, b.stack)) : undefined;
      const region = target?.stack.region;
      c.edge(
        c.nodeFor(b),
        to,
        'replication',
        `replication${region ? ` to ${region}` : ''}${rule.Status === 'Enabled' ? '' : ` (${String(rule.Status)})`}`,
        [`rule ${String(rule.Id ?? '?')}`, ...(key ? [`replica key ${key}`] : [])],
      );
    }
  }
}

// ---- log flows -------------------------------------------------------------------------------

export function drawLogFlows(c: MapCanvas): void {
  for (const fl of c.index.ofType('AWS::EC2::FlowLog')) {
    const source = c.index.resolveOne(fl.properties.ResourceId, fl.stack);
    const vpcGroup = source?.kind === 'resource' ? c.vpcGroupOf.get(source.target.key) : undefined;
    const flNode = c.addNode({
      id: fl.key,
      kind: 'flow-log',
      label: `Flow log (${String(c.index.flatten(fl.properties.TrafficType, fl.stack) ?? '?')})`,
      detail: [
        `of ${String(c.index.flatten(fl.properties.ResourceType, fl.stack))} ${source?.kind === 'resource' ? shortName(source.target) : '?'}`,
      ],
      group: vpcGroup ?? c.stackGroup(fl.stack),
      resources: [`${fl.stack.stackPath}/${fl.logicalId}`],
    });
    c.nodeOf.set(fl.key, flNode);
    const type = c.index.flatten(fl.properties.LogDestinationType, fl.stack) ?? 'cloud-watch-logs';
    const dests =
      type === 's3'
        ? c.bucketNodes(fl.properties.LogDestination, fl.stack, `${fl.stack.stackPath}/${fl.logicalId}`)
        : c.logGroupNode(
            fl.properties.LogGroupName ?? fl.properties.LogDestination,
            fl.stack,
            `${fl.stack.stackPath}/${fl.logicalId}`,
          );
    for (const d of dests) c.edge(flNode, d, 'log', 'flow records');
  }
  // Firehose streams into their buckets (the access-audit channel, the findings archive).
  for (const stream of c.index.ofType('AWS::KinesisFirehose::DeliveryStream')) {
    const p = stream.properties;
    const dest = obj(p.ExtendedS3DestinationConfiguration ?? p.S3DestinationConfiguration);
    if (dest.BucketARN === undefined) continue;
    const where = `${stream.stack.stackPath}/${stream.logicalId}`;
    for (const b of c.bucketNodes(dest.BucketARN, stream.stack, where)) {
      c.edge(c.nodeFor(stream), b, 'log', 'records', [
        `prefix ${String(c.index.flatten(dest.Prefix, stream.stack) ?? '')}`,
      ]);
    }
  }
  // GuardDuty's publishing destinations: findings exported from the detector into a bucket (the findings archive).
  for (const d of c.index.ofType('AWS::GuardDuty::PublishingDestination')) {
    const where = `${d.stack.stackPath}/${d.logicalId}`;
    const detectors = c.nodesFor(d.properties.DetectorId, d.stack, 'GuardDuty detector');
    const arn = obj(d.properties.DestinationProperties).DestinationArn;
    for (const from of detectors.length > 0 ? detectors : [c.nodeFor(d)]) {
      for (const b of c.bucketNodes(arn, d.stack, where)) c.edge(from, b, 'log', 'findings export');
    }
  }
  for (const trail of c.index.ofType('AWS::CloudTrail::Trail')) {
    const t = c.nodeFor(trail);
    const where = `${trail.stack.stackPath}/${trail.logicalId}`;
    for (const b of c.bucketNodes(trail.properties.S3BucketName, trail.stack, where)) c.edge(t, b, 'log', 'log files');
    if (trail.properties.CloudWatchLogsLogGroupArn !== undefined) {
      for (const lg of c.logGroupNode(trail.properties.CloudWatchLogsLogGroupArn, trail.stack, where))
        c.edge(t, lg, 'log', 'events');
    }
    const dataValues = [
      ...list(trail.properties.EventSelectors).flatMap((s) =>
        list(obj(s).DataResources)
          .filter((d) => obj(d).Type === 'AWS::S3::Object')
          .flatMap((d) => list(obj(d).Values)),
      ),
      ...list(trail.properties.AdvancedEventSelectors).flatMap((s) =>
        list(obj(s).FieldSelectors)
          .filter((f) => obj(f).Field === 'resources.ARN')
          .flatMap((f) => [...list(obj(f).StartsWith), ...list(obj(f).Equals)]),
      ),
    ];
    for (const v of dataValues) {
      const text = c.index.flatten(v, trail.stack);
      const refs = c.index.targets(v, trail.stack).filter((x) => x.type === 'AWS::S3::Bucket');
      const bucket = refs[0] ?? (text ? c.index.bucketNamed(text) : undefined);
      const from = bucket
        ? c.nodeFor(bucket)
        : c.unresolvedNode(`${where}: data events of ${text ?? '?'}`, 'no bucket of that name in this synth');
      c.edge(from, t, 'audit', 'S3 data events');
    }
  }
  for (const lb of c.index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const attrs = new Map(
      list(lb.properties.LoadBalancerAttributes)
        .map(obj)
        .map((a) => [String(a.Key), a.Value]),
    );
    if (c.index.flatten(attrs.get('access_logs.s3.enabled'), lb.stack) !== 'true') continue;
    for (const b of c.bucketNodes(
      attrs.get('access_logs.s3.bucket'),
      lb.stack,
      `${lb.stack.stackPath}/${lb.logicalId}`,
    )) {
      c.edge(c.nodeFor(lb), b, 'log', 'access logs');
    }
  }
  for (const b of c.index.ofType('AWS::S3::Bucket')) {
    const dest = obj(b.properties.LoggingConfiguration).DestinationBucketName;
    if (dest === undefined) continue;
    for (const d of c.bucketNodes(dest, b.stack, `${b.stack.stackPath}/${b.logicalId}`))
      c.edge(c.nodeFor(b), d, 'log', 'server access logs');
  }
  for (const db of c.index.ofType('AWS::RDS::DBInstance', 'AWS::RDS::DBCluster')) {
    const exports = list(db.properties.EnableCloudwatchLogsExports).map(String);
    const isCluster = db.type === 'AWS::RDS::DBCluster';
    const id = c.index.flatten(
      isCluster ? db.properties.DBClusterIdentifier : db.properties.DBInstanceIdentifier,
      db.stack,
    );
    for (const log of exports) {
      const where = `${db.stack.stackPath}/${db.logicalId}`;
      const targets = id
        ? c.logGroupNode(`/aws/rds/${isCluster ? 'cluster' : 'instance'}/${id}/${log}`, db.stack, where)
        : [
            c.unresolvedNode(
              `${where}: ${log} log export`,
              'the identifier is generated at deploy time, so the log group name is unknown',
            ),
          ];
      for (const t of targets) c.edge(c.nodeFor(db), t, 'log', `${log} log export`);
    }
  }
  for (const w of c.index.ofType('AWS::WAFv2::LoggingConfiguration')) {
    const acl = c.index.resolveOne(w.properties.ResourceArn, w.stack);
    if (!acl) continue;
    for (const d of list(w.properties.LogDestinationConfigs)) {
      const text = c.index.flatten(d, w.stack) ?? '';
      const targets = /:s3:::/.test(text)
        ? c.bucketNodes(d, w.stack, `${w.stack.stackPath}/${w.logicalId}`)
        : c.logGroupNode(d, w.stack, `${w.stack.stackPath}/${w.logicalId}`);
      const redacted = list(w.properties.RedactedFields).length;
      for (const t of targets)
        c.edge(c.nodeForRef(acl), t, 'log', `request logs${redacted ? ` (${redacted} fields redacted)` : ''}`);
    }
  }
  for (const fn of c.index.ofType('AWS::Lambda::Function')) {
    const lg = obj(fn.properties.LoggingConfig).LogGroup;
    if (lg === undefined || !c.nodeOf.has(fn.key)) continue;
    for (const t of c.logGroupNode(lg, fn.stack, `${fn.stack.stackPath}/${fn.logicalId}`))
      c.edge(c.nodeFor(fn), t, 'log', 'function logs');
  }
  for (const svc of c.index.ofType('AWS::ECS::Service')) {
    const td = c.index.resolveOne(svc.properties.TaskDefinition, svc.stack);
    if (td?.kind !== 'resource') continue;
    for (const container of list(td.target.properties.ContainerDefinitions).map(obj)) {
      const conf = obj(container.LogConfiguration);
      if (conf.LogDriver !== 'awslogs') continue;
      for (const t of c.logGroupNode(
        obj(conf.Options)['awslogs-group'],
        td.target.stack,
        `${td.target.stack.stackPath}/${td.target.logicalId}`,
      )) {
        c.edge(c.nodeFor(svc), t, 'log', `container logs (${String(container.Name ?? '?')})`);
      }
    }
  }
  for (const ch of c.index.ofType('AWS::Config::DeliveryChannel')) {
    for (const b of c.bucketNodes(ch.properties.S3BucketName, ch.stack, `${ch.stack.stackPath}/${ch.logicalId}`)) {
      c.edge(c.nodeFor(ch), b, 'log', 'configuration history');
    }
  }
}

// ---- alert flows -----------------------------------------------------------------------------

export function drawAlertFlows(c: MapCanvas): void {
  const filters = new Map<string, { logGroups: string[]; names: string[] }>();
  for (const f of c.index.ofType('AWS::Logs::MetricFilter')) {
    const groups = c.logGroupNode(f.properties.LogGroupName, f.stack, `${f.stack.stackPath}/${f.logicalId}`);
    for (const t of list(f.properties.MetricTransformations).map(obj)) {
      const k = `${String(t.MetricNamespace)}|${String(t.MetricName)}`;
      filters.set(k, {
        logGroups: [...new Set([...(filters.get(k)?.logGroups ?? []), ...groups])],
        names: [String(t.MetricName)],
      });
    }
  }
  type Bucket = { stack: InventoryStack; names: string[]; resources: string[]; targets: string[]; sources: string[] };
  const alarmGroups = new Map<string, Bucket & { forwards: string[] }>();
  for (const a of c.index.ofType('AWS::CloudWatch::Alarm')) {
    const p = a.properties;
    const actions = [...list(p.AlarmActions), ...list(p.OKActions), ...list(p.InsufficientDataActions)];
    // An alarm without action in a region without an alert path: a rule of its stack forwards its state changes
    // (EventPattern resources naming its ARN) to another region's event bus (ReplicationStallAlarm).
    const forwardedTo =
      actions.length > 0
        ? []
        : c.index
            .ofType('AWS::Events::Rule')
            .filter(
              (r) =>
                r.stack === a.stack &&
                JSON.stringify(obj(r.properties.EventPattern).resources ?? []).includes(
                  JSON.stringify({ 'Fn::GetAtt': [a.logicalId, 'Arn'] }),
                ),
            )
            .flatMap((r) => list(r.properties.Targets).map((t) => c.eventBusNode(c.index.flatten(obj(t).Arn, r.stack))))
            .filter((n): n is string => n !== undefined);
    const targets = [...new Set(actions.flatMap((v) => c.nodesFor(v, a.stack, 'alarm action')))].sort();
    const forwards = [...new Set(forwardedTo)].sort();
    const metrics: string[] = [];
    if (p.MetricName !== undefined) metrics.push(`${String(p.Namespace)}|${String(p.MetricName)}`);
    for (const m of list(p.Metrics).map(obj)) {
      const metric = obj(obj(m.MetricStat).Metric);
      if (metric.MetricName !== undefined) metrics.push(`${String(metric.Namespace)}|${String(metric.MetricName)}`);
    }
    const sources = [...new Set(metrics.flatMap((m) => filters.get(m)?.logGroups ?? []))].sort();
    const k = `${a.stack.stackPath}|${targets.join(',')}|${sources.join(',')}|${forwards.join(',')}`;
    const b = alarmGroups.get(k) ?? { stack: a.stack, names: [], resources: [], targets, sources, forwards };
    b.names.push(String(p.MetricName ?? metrics[0]?.split('|')[1] ?? shortName(a)));
    b.resources.push(`${a.stack.stackPath}/${a.logicalId}`);
    alarmGroups.set(k, b);
  }
  let i = 0;
  for (const [, b] of [...alarmGroups].sort(([x], [y]) => x.localeCompare(y))) {
    const id = c.addNode({
      id: `alarms:${b.stack.stackPath}:${i++}`,
      kind: 'alarms',
      label: b.names.length === 1 ? 'CloudWatch alarm' : `CloudWatch alarms (${b.names.length})`,
      detail: chunk([...b.names].sort(), 3),
      group: c.stackGroup(b.stack),
      resources: b.resources.sort(),
    });
    for (const s of b.sources) c.edge(s, id, 'alert', 'metric filters');
    for (const t of b.targets) c.edge(id, t, 'alert', 'alarm action');
    for (const t of b.forwards) c.edge(id, t, 'alert', 'state changes forwarded');
    if (b.targets.length === 0 && b.forwards.length === 0)
      c.edge(
        id,
        c.unresolvedNode(`${b.stack.stackPath}: alarms ${b.names.join(', ')}`, 'no alarm action: nobody is notified'),
        'alert',
        'no action',
      );
  }

  const ruleGroups = new Map<string, Bucket & { dlqs: string[] }>();
  for (const r of c.index.ofType('AWS::Events::Rule')) {
    const targets = [
      ...new Set(
        list(r.properties.Targets).flatMap((t) => {
          const bus = c.eventBusNode(c.index.flatten(obj(t).Arn, r.stack));
          return bus !== undefined ? [bus] : c.nodesFor(obj(t).Arn, r.stack, 'rule target');
        }),
      ),
    ].sort();
    const dlqs = [
      ...new Set(
        list(r.properties.Targets).flatMap((t) =>
          c.nodesFor(obj(obj(t).DeadLetterConfig).Arn, r.stack, 'dead-letter queue'),
        ),
      ),
    ].sort();
    const pattern = obj(r.properties.EventPattern);
    const sources = list(pattern.source).map(String);
    const k = `${r.stack.stackPath}|${targets.join(',')}|${dlqs.join(',')}`;
    const b = ruleGroups.get(k) ?? { stack: r.stack, names: [], resources: [], targets, sources: [], dlqs };
    b.names.push(
      ...(sources.length
        ? sources
        : [r.properties.ScheduleExpression ? `schedule ${String(r.properties.ScheduleExpression)}` : shortName(r)]),
    );
    b.resources.push(`${r.stack.stackPath}/${r.logicalId}`);
    ruleGroups.set(k, b);
  }
  let j = 0;
  for (const [, b] of [...ruleGroups].sort(([x], [y]) => x.localeCompare(y))) {
    const id = c.addNode({
      id: `rules:${b.stack.stackPath}:${j++}`,
      kind: 'event-rules',
      label: b.resources.length === 1 ? 'EventBridge rule' : `EventBridge rules (${b.resources.length})`,
      detail: chunk([...new Set(b.names)].sort(), 3),
      group: c.stackGroup(b.stack),
      resources: b.resources.sort(),
    });
    for (const t of b.targets) c.edge(id, t, 'alert', 'matching events');
    for (const d of b.dlqs) c.edge(id, d, 'alert', 'undeliverable events');
  }
  for (const fn of c.index.ofType('AWS::Lambda::Function')) {
    const dlq = obj(fn.properties.DeadLetterConfig).TargetArn;
    if (dlq === undefined || !c.nodeOf.has(fn.key)) continue;
    for (const q of c.nodesFor(dlq, fn.stack, 'dead-letter queue'))
      c.edge(c.nodeFor(fn), q, 'alert', 'failed invocations');
  }
  const subs = new Map<string, { topic: string; protocol: string; resources: string[] }>();
  for (const s of c.index.ofType('AWS::SNS::Subscription')) {
    const protocol = c.index.flatten(s.properties.Protocol, s.stack) ?? '?';
    for (const topic of c.nodesFor(s.properties.TopicArn, s.stack, 'topic')) {
      const k = `${topic}|${protocol}`;
      const e = subs.get(k) ?? { topic, protocol, resources: [] };
      e.resources.push(`${s.stack.stackPath}/${s.logicalId}`);
      subs.set(k, e);
    }
  }
  for (const [k, s] of subs) {
    const id = c.addNode({
      id: `subscribers:${k}`,
      kind: 'subscribers',
      label: `${s.protocol} subscribers (${s.resources.length})`,
      detail: [],
      group: c.nodes.get(s.topic)?.group,
      resources: s.resources.sort(),
    });
    c.edge(s.topic, id, 'alert', 'notifies');
  }
}

// ---- backup ----------------------------------------------------------------------------------

export function drawBackup(c: MapCanvas): void {
  for (const r of c.index.resources()) {
    const cov = c.backup.get(r.key);
    if (!cov?.covered) continue;
    const toVault = new Map<string, { via: Set<string>; detail: string[] }>();
    for (const a of cov.assignments) {
      const sel = c.index.get(a.selection.replace(/\/([^/]+)$/, '::$1'));
      const planRef = sel ? c.index.resolveOne(sel.properties.BackupPlanId, sel.stack) : undefined;
      const vaults =
        planRef?.kind === 'resource'
          ? list(obj(planRef.target.properties.BackupPlan).BackupPlanRule).flatMap((rule) =>
              c.nodesFor(obj(rule).TargetBackupVault, planRef.target.stack, 'backup vault'),
            )
          : [c.unresolvedNode(a.plan, 'backup plan')];
      for (const v of vaults) {
        const e = toVault.get(v) ?? { via: new Set<string>(), detail: [] };
        e.via.add(a.via === 'tag' ? 'by tag' : 'by ARN');
        e.detail.push(`${a.selection}: ${a.detail}`, ...a.rules);
        toVault.set(v, e);
      }
    }
    for (const [v, e] of toVault)
      c.edge(c.nodeFor(r), v, 'backup', `backup (${[...e.via].sort().join(', ')})`, e.detail);
  }
  // Copy actions: each rule's vault to the vault its recovery points are copied to (the replica region's, an
  // isolated one); a vault outside this synth is shown as such.
  for (const plan of c.index.ofType('AWS::Backup::BackupPlan')) {
    for (const rule of list(obj(plan.properties.BackupPlan).BackupPlanRule).map(obj)) {
      const sources = c.nodesFor(rule.TargetBackupVault, plan.stack, 'backup vault');
      for (const copy of list(rule.CopyActions).map(obj)) {
        const arn = c.index.flatten(copy.DestinationBackupVaultArn, plan.stack);
        const m = arn === undefined ? null : /^arn:[^:]+:backup:([^:]+):[^:]*:backup-vault:(.+)$/.exec(arn);
        const vault = m ? c.index.named('AWS::Backup::BackupVault', 'BackupVaultName', m[2]!)[0] : undefined;
        const to = vault
          ? c.nodeFor(vault)
          : c.unresolvedNode(`copy to ${arn ?? '?'}`, 'a vault outside this synth (isolated, or another account)');
        for (const from of sources) {
          c.edge(from, to, 'backup', `copy${m ? ` to ${m[1]}` : ''} (rule ${String(rule.RuleName ?? '?')})`, [
            `kept ${String(obj(copy.Lifecycle).DeleteAfterDays ?? '?')} days`,
          ]);
        }
      }
    }
  }
  // Malware Protection plans: GuardDuty scans each object put into the protected bucket.
  for (const plan of c.index.ofType('AWS::GuardDuty::MalwareProtectionPlan')) {
    const bucket = obj(obj(plan.properties.ProtectedResource).S3Bucket).BucketName;
    const where = `${plan.stack.stackPath}/${plan.logicalId}`;
    for (const b of c.bucketNodes(bucket, plan.stack, where)) c.edge(c.nodeFor(plan), b, 'audit', 'scans uploads');
  }
}
