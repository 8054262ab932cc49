import { imageOf, type StreamRecordLike } from '../stream-changes';

/** What a stream batch did to certificates: the ID of each one written or deleted, in order. */
export interface CertificateChange {
  certificateId: string;
  deleted: boolean;
}

const KEY = ['pk', 'sk'];
const isCertificate = (image: Record<string, unknown> | undefined) =>
  typeof image?.pk === 'string' && image.pk.startsWith('CERT#') && image.sk === 'CERT';

/** The certificate changes of a batch: what the local MQTT broker checks its open connections against. */
export function readCertificateChanges(records: readonly StreamRecordLike[]): CertificateChange[] {
  const changes: CertificateChange[] = [];
  for (const record of records) {
    const after = imageOf(record.dynamodb?.NewImage, KEY);
    const item = after ?? imageOf(record.dynamodb?.OldImage, KEY);
    if (!isCertificate(item)) continue;
    changes.push({ certificateId: (item!.pk as string).slice('CERT#'.length), deleted: !after });
  }
  return changes;
}
