import type { ObjectReader, UrlPresigner } from '../jobs/documents/ports';
import { RoleCredentials, stsAssumeRole } from './role-credentials';
import { S3Clients } from './s3-clients';
import { S3ObjectReader } from './s3-object-reader';
import { S3UrlPresigner } from './s3-url-presigner';

/** S3 as the services use it: documentSource reads, and the presigned URLs devices receive. */
export interface S3Services {
  objects: ObjectReader;
  presigner: UrlPresigner;
  destroy(): void;
}

/**
 * Deployed: AWS's S3, read with the function's role, and URLs presigned with each job's role (AssumeRole, its
 * credentials kept per container). Locally (an endpoint): the runner's S3 for both, with its local key.
 */
export function buildS3Services(settings: { region: string; endpoint?: string }): S3Services {
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
