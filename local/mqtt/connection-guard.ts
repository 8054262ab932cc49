import type { Client } from 'aedes';
import { readCertificateChanges } from '../../lambdas/store/certificates/certificate-changes';
import type { StreamRecordLike } from '../../lambdas/store/stream-changes';

/**
 * The open connections of each certificate, and what a certificate's change does to them: AWS IoT disconnects the
 * devices of a certificate that is no longer ACTIVE, and a client whose thing the certificate no longer stands for.
 * Each connection of a certificate the table's stream shows changed is checked again, as CONNECT checked it (the
 * table, not the stream image, has the last word: a batch may trail a later write), and closed if refused.
 */
export function connectionGuard(stillAllowed: (client: Client) => Promise<boolean>) {
  const byCertificate = new Map<string, Set<Client>>();
  return {
    admitted(client: Client, certificateId: string | undefined): void {
      if (!certificateId) return;
      const clients = byCertificate.get(certificateId) ?? new Set<Client>();
      clients.add(client);
      byCertificate.set(certificateId, clients);
      client.conn.once('close', () => clients.delete(client));
    },
    async onBatch(records: readonly StreamRecordLike[]): Promise<void> {
      const changed = new Set(readCertificateChanges(records).map((change) => change.certificateId));
      const checks = [...changed].flatMap((certificateId) =>
        [...(byCertificate.get(certificateId) ?? [])].map(async (client) => {
          if (await stillAllowed(client)) return;
          byCertificate.get(certificateId)?.delete(client);
          client.close();
        }),
      );
      await Promise.all(checks);
    },
  };
}
