import type { RuntimeConfig } from '../environment-config';
import type { ObjectReader, UrlPresigner } from '../jobs/documents/ports';
import { InvalidRequestException } from '../jobs/shared/errors';
import { RoleCredentials, stsAssumeRole } from './role-credentials';
import { S3Clients } from './s3-clients';
import { S3ObjectReader } from './s3-object-reader';
import { S3UrlPresigner } from './s3-url-presigner';

/** A local runner without its S3 reads no documentSource (AWS's S3 with local credentials would only confuse). */
const NO_S3: ObjectReader = {
  readText: () =>
    Promise.reject(
      new InvalidRequestException('documentSource: this local runner serves no S3 (it was started with --s3-port 0)'),
    ),
};

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
export function buildS3Services(config: Pick<RuntimeConfig, 'region' | 's3Endpoint' | 'localWithoutS3'>): S3Services {
  const settings = { region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}) };
  const clients = new S3Clients(settings);
  const roles = settings.endpoint ? undefined : new RoleCredentials(stsAssumeRole(settings.region));
  const presigner = new S3UrlPresigner(clients, roles, settings.region);
  return {
    objects: config.localWithoutS3 ? NO_S3 : new S3ObjectReader(clients),
    presigner,
    destroy: () => {
      clients.destroy();
      presigner.destroy();
    },
  };
}
