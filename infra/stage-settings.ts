import type { CfnStage, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface ApiThrottle {
  /** Steady requests per second across the stage. */
  rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  burstLimit: number;
}

/** Sane ceilings: a fleet polling every few minutes, and an operator's tools. API Gateway answers 429 above them. */
export const DEFAULT_THROTTLES: Record<'device' | 'management', ApiThrottle> = {
  device: { rateLimit: 2000, burstLimit: 4000 },
  management: { rateLimit: 50, burstLimit: 100 },
};

/**
 * Throttling and access logs on an HTTP API's default stage. Set through the
 * stage resource because the HttpApi construct exposes neither for its
 * default stage; the stage keeps its construct ID.
 */
export function configureDefaultStage(
  scope: Construct,
  id: string,
  api: HttpApi,
  throttle: ApiThrottle,
  retention: RetentionDays,
): void {
  const stage = api.defaultStage!.node.defaultChild as CfnStage;
  stage.defaultRouteSettings = { throttlingRateLimit: throttle.rateLimit, throttlingBurstLimit: throttle.burstLimit };
  const logs = new LogGroup(scope, `${id}AccessLogs`, { retention });
  stage.accessLogSettings = {
    destinationArn: logs.logGroupArn,
    // One JSON line per request, keyed by the request ID every response carries.
    format: JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      clientCertificate: '$context.identity.clientCert.subjectDN',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    }),
  };
}
