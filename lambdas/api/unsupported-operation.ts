import awsOperations from './aws-operations.json';
import type { ApiName } from './route-definition';

/**
 * What a request no route takes was asking for: the AWS operation of that
 * method and path in AWS's own service model (botocore's), if there is one.
 * So a client calling an operation this service does not implement (say
 * `aws iot create-fleet-metric`) hears which one, instead of a bare 404.
 */

interface OperationPath {
  method: string;
  pattern: RegExp;
  /** Literal segments: the more, the more specific (`/jobs/{jobId}/cancel` before `/jobs/{jobId}/{x}`). */
  literals: number;
  name: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(rows: readonly (readonly string[])[]): OperationPath[] {
  return rows
    .map(([method, path, name]) => {
      const segments = path!.split('/').filter(Boolean);
      const pattern = segments
        .map((segment) => (segment.startsWith('{') ? (segment.endsWith('+}') ? '.+' : '[^/]+') : escapeRegExp(segment)))
        .join('/');
      return {
        method: method!,
        pattern: new RegExp(`^/${pattern}/?$`),
        literals: segments.filter((s) => !s.startsWith('{')).length,
        name: name!,
      };
    })
    .sort((a, b) => b.literals - a.literals);
}

const OPERATIONS: Record<ApiName, OperationPath[]> = {
  management: compile(awsOperations.operations.management),
  device: compile(awsOperations.operations.device),
};

/** The AWS operation at this method and path of that API (its service model's), if any. */
export function awsOperationAt(api: ApiName, method: string, path: string): string | undefined {
  return OPERATIONS[api].find((operation) => operation.method === method.toUpperCase() && operation.pattern.test(path))
    ?.name;
}
