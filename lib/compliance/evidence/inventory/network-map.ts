/**
 * The network and data-flow map as one graph model, built from the synthesized templates: VPCs
 * (PHI or not, from the DataClassification tag) holding their tiers and subnets (by AZ, with their
 * routes), gateways, endpoints, network ACLs and security groups with their rules; the request path
 * (WAF -> load balancer listeners -> target groups -> services -> database and buckets); replication;
 * log flows; alert flows; backup. Renderers (Mermaid, Graphviz DOT) draw this model and nothing else.
 * A reference that cannot be followed becomes an `unresolved` node: it is shown, never dropped.
 */
import { MapCanvas } from './map-canvas';
import {
  drawAlertFlows,
  drawBackup,
  drawDataAccess,
  drawLogFlows,
  drawReplication,
  drawRequestPath,
} from './map-flows';
import { NetworkMap } from './map-model';
import { drawEndpoints, drawNetworkAcls, drawPlacedResources, drawSecurityGroups, drawVpcs } from './map-network';
import { EvidenceStamp } from './stamp';
import { InventoryStack, TemplateIndex } from './template-index';

export * from './map-model';
export { shortName } from './map-canvas';

/** Builds the map of `stacks`. Pure. */
export function buildNetworkMap(stacks: readonly InventoryStack[], stamp: EvidenceStamp): NetworkMap {
  return buildNetworkMapFromIndex(new TemplateIndex(stacks), stamp);
}

/** Same, from an index already built. The order matters: flows find the nodes the network placed. */
export function buildNetworkMapFromIndex(index: TemplateIndex, stamp: EvidenceStamp): NetworkMap {
  const c = new MapCanvas(index);
  drawVpcs(c);
  drawNetworkAcls(c);
  drawEndpoints(c);
  drawPlacedResources(c);
  drawSecurityGroups(c);
  drawRequestPath(c);
  drawDataAccess(c);
  drawReplication(c);
  drawLogFlows(c);
  drawAlertFlows(c);
  drawBackup(c);
  return c.result(stamp);
}
