import type {
  AutoRegistrationStatus,
  CaCertificateRecord,
  CaStatus,
  CertificateRecord,
  CertificateStatus,
} from '../../jobs/certificates/certificate';
import { CONDITION } from '../table/expressions';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { JOBS_TABLE } from '../table/table-design';
import type { DeleteParams, Item, PutParams, QueryParams, TransactParams, UpdateParams } from '../table/table-params';

/**
 * Certificate (`CERT#<id>` / `CERT`) and CA certificate (`CACERT#<id>` / `CACERT`) items: each request built here,
 * sent by the store. A certificate item holds the things it is attached to (a string set), so a device request reads
 * its identity in one GetItem; a CA item counts the registered certificates it signed.
 */

const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;
const TABLE_KEY = [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey];

const CERT_CONDITION = {
  /** A status change judged against the status read: a racing change makes the rules look again. */
  statusAsRead: '#status = :from',
  /** Only an unattached, not ACTIVE certificate may go (AWS: DeleteConflictException, CertificateStateException). */
  deletable: 'attribute_not_exists(things) AND #status <> :active',
  /** Only an ACTIVE CA signs new registrations. */
  caActive: '#status = :active',
  /** A CA goes only once it signed no registered certificate, and is INACTIVE. */
  caDeletable: 'certificateCount = :zero AND #status <> :active',
} as const;

const STATUS_NAME = { '#status': 'status' };

export function certificateItem(record: CertificateRecord): Item {
  const { things, ...rest } = record;
  return {
    ...keys.certificate(record.certificateId),
    ...rest,
    ...(things.length ? { things: new Set(things) } : {}),
    [LIST]: keys.certificateList,
    [LIST_KEY]: keys.certificateListKey(record.creationDate, record.certificateId),
  };
}

export function fromCertificateItem(item: Item): CertificateRecord {
  const { pk: _pk, sk: _sk, [LIST]: _list, [LIST_KEY]: _key, things, status, ...rest } = item;
  return {
    ...(rest as unknown as Omit<CertificateRecord, 'things' | 'status'>),
    // An item of the old certificate table (a binding with no status) is no certificate a device may use.
    status: (typeof status === 'string' ? status : 'INACTIVE') as CertificateStatus,
    things: things instanceof Set ? [...(things as Set<string>)] : [],
  };
}

/** A new certificate; signed by a registered CA, that CA (ACTIVE) counts one more, in the same transaction. */
export function registerCertificateWrites(record: CertificateRecord): TransactParams[] {
  const put: PutParams = { Item: certificateItem(record), ConditionExpression: CONDITION.absent };
  if (!record.caCertificateId) return [{ Put: put }];
  return [
    { Put: put },
    {
      Update: {
        Key: keys.caCertificate(record.caCertificateId),
        UpdateExpression: 'ADD certificateCount :one',
        ConditionExpression: `${CONDITION.exists} AND ${CERT_CONDITION.caActive}`,
        ExpressionAttributeNames: STATUS_NAME,
        ExpressionAttributeValues: { ':one': 1, ':active': 'ACTIVE' },
      },
    },
  ];
}

export const updateStatusParams = (
  certificateId: string,
  from: CertificateStatus,
  to: CertificateStatus,
  now: number,
): UpdateParams => ({
  Key: keys.certificate(certificateId),
  UpdateExpression: 'SET #status = :to, lastModifiedDate = :now ADD customerVersion :one',
  ConditionExpression: `${CONDITION.exists} AND ${CERT_CONDITION.statusAsRead}`,
  ExpressionAttributeNames: STATUS_NAME,
  ExpressionAttributeValues: { ':to': to, ':from': from, ':now': now, ':one': 1 },
});

/** The certificate gone if still deletable; its CA counts one less in the same transaction. */
export function deleteCertificateWrites(record: CertificateRecord): TransactParams[] {
  const remove: DeleteParams = {
    Key: keys.certificate(record.certificateId),
    ConditionExpression: `${CONDITION.exists} AND ${CERT_CONDITION.deletable}`,
    ExpressionAttributeNames: STATUS_NAME,
    ExpressionAttributeValues: { ':active': 'ACTIVE' },
  };
  if (!record.caCertificateId) return [{ Delete: remove }];
  return [
    { Delete: remove },
    {
      Update: {
        Key: keys.caCertificate(record.caCertificateId),
        UpdateExpression: 'ADD certificateCount :minusOne',
        ConditionExpression: CONDITION.exists,
        ExpressionAttributeValues: { ':minusOne': -1 },
      },
    },
  ];
}

export const caItem = (record: CaCertificateRecord): Item => ({
  ...keys.caCertificate(record.certificateId),
  ...record,
  [LIST]: keys.caCertificateList,
  [LIST_KEY]: keys.certificateListKey(record.creationDate, record.certificateId),
});

export function fromCaItem(item: Item): CaCertificateRecord {
  const { pk: _pk, sk: _sk, [LIST]: _list, [LIST_KEY]: _key, ...rest } = item;
  return rest as unknown as CaCertificateRecord;
}

export const registerCaParams = (record: CaCertificateRecord): PutParams => ({
  Item: caItem(record),
  ConditionExpression: CONDITION.absent,
});

export function updateCaParams(
  certificateId: string,
  change: { status?: CaStatus; autoRegistrationStatus?: AutoRegistrationStatus },
  now: number,
): UpdateParams {
  const set = ['lastModifiedDate = :now', ...(change.status ? ['#status = :status'] : [])];
  if (change.autoRegistrationStatus) set.push('autoRegistrationStatus = :auto');
  return {
    Key: keys.caCertificate(certificateId),
    UpdateExpression: `SET ${set.join(', ')} ADD customerVersion :one`,
    ConditionExpression: CONDITION.exists,
    ...(change.status ? { ExpressionAttributeNames: STATUS_NAME } : {}),
    ExpressionAttributeValues: {
      ':now': now,
      ':one': 1,
      ...(change.status ? { ':status': change.status } : {}),
      ...(change.autoRegistrationStatus ? { ':auto': change.autoRegistrationStatus } : {}),
    },
  };
}

export const deleteCaParams = (certificateId: string): DeleteParams => ({
  Key: keys.caCertificate(certificateId),
  ConditionExpression: `${CONDITION.exists} AND ${CERT_CONDITION.caDeletable}`,
  ExpressionAttributeNames: STATUS_NAME,
  ExpressionAttributeValues: { ':zero': 0, ':active': 'ACTIVE' },
});

/** A list by creation date (newest first unless `ascending`); certificates of one CA filtered as DynamoDB reads. */
export function certificateListQuery(list: string, ascending: boolean, caCertificateId?: string): QueryParams {
  return {
    IndexName: INDEX,
    KeyConditionExpression: `${LIST} = :list`,
    ExpressionAttributeValues: { ':list': list, ...(caCertificateId ? { ':ca': caCertificateId } : {}) },
    ...(caCertificateId ? { FilterExpression: 'caCertificateId = :ca' } : {}),
    ScanIndexForward: ascending,
  };
}

export const certificateListPageKey = (list: string): PageKeyShape => ({
  attributes: [...TABLE_KEY, LIST, LIST_KEY],
  fixed: () => ({ [LIST]: list }),
});
