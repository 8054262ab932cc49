import type { RuntimeConfig } from '../environment-config';
import type { ObjectReader, UrlPresigner } from '../jobs/documents/ports';
import { InvalidRequestException } from '../jobs/shared/errors';
import type { SdkS3 } from './s3-sdk-services';

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

type S3Config = Pick<RuntimeConfig, 'region' | 's3Endpoint' | 'localWithoutS3' | 's3Sdk'>;

/**
 * S3 with its SDK loaded on first use: only CreateJob, CreateJobTemplate (documentSource) and the device routes that
 * deliver a document with presigned URLs ever call these, so no other cold start evaluates the SDK. Services built
 * without `s3Sdk` (a function whose route declares no S3) fail a call to them: a route that reads or presigns must
 * say so in its definition.
 */
export function buildS3Services(config: S3Config): S3Services {
  const settings = { region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}) };
  const { s3Sdk } = config;
  let loading: Promise<SdkS3> | undefined;
  let loaded: SdkS3 | undefined;
  const sdk = (): Promise<SdkS3> => {
    if (!s3Sdk)
      return Promise.reject(new Error('S3: these services were built without s3Sdk (the route declares none)'));
    loading ??= s3Sdk().then(
      (module) => (loaded = module.sdkS3(settings)),
      (error: unknown) => {
        // A load that failed is tried again on the next use, not remembered for the container's life.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return {
    objects: config.localWithoutS3
      ? NO_S3
      : { readText: async (location, maxBytes) => (await sdk()).objects.readText(location, maxBytes) },
    presigner: { presignGet: async (location, signing) => (await sdk()).presigner.presignGet(location, signing) },
    destroy: () => {
      if (loaded) loaded.destroy();
      // Still loading: its clients are closed as soon as they exist.
      else
        void loading?.then(
          (s3) => s3.destroy(),
          () => undefined,
        );
    },
  };
}
