import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A stack's own template and each of its nested stacks', by construct ID: what CloudFormation deploys one by one. */
export function stackTemplates(stack: Stack): Map<string, Template> {
  const templates = new Map([[stack.node.id, Template.fromStack(stack)]]);
  for (const nested of nestedStacksOf(stack)) templates.set(nested.node.id, Template.fromStack(nested));
  return templates;
}

const nestedStacksOf = (stack: Stack): NestedStack[] =>
  stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c) && c.nestedStackParent === stack);

/**
 * The stack as one template, its nested stacks' resources folded in: each `Ref` to a nested stack's parameter
 * replaced by what the parent passes it, so a route's resources read as they would in the parent (its API's `Ref`,
 * its table's import). Assertions about routes and functions hold wherever a route is deployed; what lands in which
 * template is `stackTemplates`'s to tell.
 */
export function foldedTemplate(stack: Stack): Template {
  const parent = Template.fromStack(stack).toJSON();
  const resources: Record<string, unknown> = { ...parent.Resources };
  for (const nested of nestedStacksOf(stack)) {
    const passed = (
      parent.Resources[stack.resolve(nested.nestedStackResource!.logicalId)] as {
        Properties: { Parameters?: Record<string, unknown> };
      }
    ).Properties.Parameters;
    for (const [id, resource] of Object.entries(Template.fromStack(nested).toJSON().Resources)) {
      if (id in resources) throw new Error(`${id} is in both ${stack.node.id} and ${nested.node.id}`);
      resources[id] = withParameters(resource, passed ?? {});
    }
  }
  return Template.fromJSON({ ...parent, Resources: resources });
}

function withParameters(value: unknown, passed: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => withParameters(item, passed));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && Object.keys(value).length === 1 && ref in passed) return passed[ref];
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withParameters(item, passed)]));
}
