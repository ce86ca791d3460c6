import { CfnResource, Stack } from 'aws-cdk-lib';
import { knownTemplateOf, logicalIdOf } from './template-view';

/**
 * The resource's Properties exactly as they will appear in the template (PascalCase, tokens
 * resolved, property overrides applied), for any CfnResource of the type: an L1 class, a generic
 * CfnResource (custom resource providers create their IAM roles that way), or a resource included
 * with CfnInclude. Rules that read this see what deploys, not only the typed L1 fields. During a validation run that
 * has its stack's template (the file synth wrote, the template the checker included: knownTemplateOf) they are read
 * from it; otherwise the resource is rendered.
 */
export function templateProperties(node: CfnResource): Record<string, unknown> {
  return templateResource(node).Properties;
}

/**
 * The resource's entry exactly as it will appear in the template (Properties, DeletionPolicy, Metadata, ...; overrides
 * applied; `Properties` is `{}` when it has none), read from the run's template when known (templateProperties).
 */
export function templateResource(node: CfnResource): { Properties: Record<string, unknown>; [key: string]: unknown } {
  const stack = Stack.of(node);
  const logicalId = logicalIdOf(node);
  const known = knownTemplateOf(stack)?.template.Resources[logicalId] as Record<string, unknown> | undefined;
  const resource =
    known ??
    (
      stack.resolve(node._toCloudFormation()) as {
        Resources?: Record<string, Record<string, unknown>>;
      }
    ).Resources?.[logicalId];
  return { ...resource, Properties: (resource?.Properties as Record<string, unknown> | undefined) ?? {} };
}

/** The resource's logical id in its stack (template-view defines it; the rules import it from here). */
export { logicalIdOf };

/** The CfnResources of `type` in the node's stack (found through the construct tree). */
export function stackResourcesOfType(node: CfnResource, type: string): CfnResource[] {
  return Stack.of(node)
    .node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type);
}
