import type { ObjectReader, UrlPresigner } from '../jobs/documents/ports';
import { RoleCredentials, stsAssumeRole } from './role-credentials';
import { S3Clients, type S3Settings } from './s3-clients';
import { S3ObjectReader } from './s3-object-reader';
import { S3UrlPresigner } from './s3-url-presigner';

/**
 * S3 through the SDK: the one module that brings in @aws-sdk/client-s3, client-sts and the presigner. Nothing imports
 * it statically; s3-services.ts loads it on the first documentSource read or presigned URL.
 */
export interface SdkS3 {
  objects: ObjectReader;
  presigner: UrlPresigner;
  destroy(): void;
}

/**
 * Deployed: AWS's S3, read with the function's role, and URLs presigned with each job's role (AssumeRole, its
 * credentials kept per container). Locally (an endpoint): the runner's S3 for both, with its local key.
 */
export function sdkS3(settings: S3Settings): SdkS3 {
  const clients = new S3Clients(settings);
  const roles = settings.endpoint ? undefined : new RoleCredentials(stsAssumeRole(settings.region));
  const presigner = new S3UrlPresigner(clients, roles, settings.region);
  return {
    objects: new S3ObjectReader(clients),
    presigner,
    destroy: () => {
      clients.destroy();
      presigner.destroy();
    },
  };
}
