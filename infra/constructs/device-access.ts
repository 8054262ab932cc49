import type { HttpApiProps } from 'aws-cdk-lib/aws-apigatewayv2';
import { DomainName } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeviceAuthPolicy } from '../../lambdas/jobs/device/device-authorization';

/**
 * How devices reach the device API.
 * - `mtls`: only through a custom domain with mutual TLS. API Gateway checks
 *   the client certificate against the truststore before any handler runs,
 *   the default execute-api endpoint is switched off so nothing bypasses it,
 *   and each handler lets a device touch only the thing its certificate names.
 * - `open`: no device authentication at all, for a throwaway sandbox only.
 */
export type DeviceAccess =
  | {
      mode: 'mtls';
      /** e.g. jobs-devices.example.com, with a DNS record you point at the domain's target. */
      domainName: string;
      /** An ACM certificate for domainName, in the stack's region. */
      certificateArn: string;
      /** s3://bucket/key of the PEM bundle of CA certificates that issue device certificates. */
      truststoreUri: string;
      /** S3 object version of the truststore, to roll it deliberately. */
      truststoreVersion?: string;
      /**
       * Who a device is: whoever its registered, ACTIVE certificate is attached to (AttachThingPrincipal, default), or
       * the thing its certificate's subject CN names (a fleet whose certificates the truststore alone vouches for).
       */
      identity?: 'attached-principal' | 'subject-cn';
    }
  | { mode: 'open' };

/** What the device API's construction needs from the access mode, and what its handlers are told. */
export function deviceApiAccess(
  scope: Construct,
  access: DeviceAccess,
): { apiProps: Partial<HttpApiProps>; handlerPolicy: DeviceAuthPolicy; url?: string } {
  if (access.mode === 'open') return { apiProps: {}, handlerPolicy: 'open' };
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(access.truststoreUri);
  if (!match) throw new Error(`deviceAccess.truststoreUri must look like s3://bucket/key, not ${access.truststoreUri}`);
  const domain = new DomainName(scope, 'DeviceDomain', {
    domainName: access.domainName,
    certificate: Certificate.fromCertificateArn(scope, 'DeviceDomainCertificate', access.certificateArn),
    mtls: {
      bucket: Bucket.fromBucketName(scope, 'DeviceTruststoreBucket', match[1]!),
      key: match[2]!,
      ...(access.truststoreVersion ? { version: access.truststoreVersion } : {}),
    },
  });
  return {
    apiProps: { disableExecuteApiEndpoint: true, defaultDomainMapping: { domainName: domain } },
    handlerPolicy: access.identity === 'subject-cn' ? 'subject-cn' : 'principal',
    url: `https://${access.domainName}`,
  };
}
