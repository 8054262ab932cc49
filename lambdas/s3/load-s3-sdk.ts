/**
 * Loads S3 through the SDK on first use. Only the functions that need S3 import this module (through their handler's
 * route definition), so only their bundles hold @aws-sdk/client-s3, client-sts and the presigner; even there, esbuild
 * (ESM, no code splitting) keeps the SDK in the file, wrapped, and evaluates it at the first call, not at cold start.
 */
export const loadS3Sdk = () => import('./s3-sdk-services');

/** What the services are given to reach S3: loadS3Sdk, or nothing in a function that never reads or presigns. */
export type S3SdkLoader = typeof loadS3Sdk;
