import { describe, expect, it } from 'vitest';
import { DynamoCertificateStore } from '../../lambdas/store/certificates';
import { manualClock } from '../support/manual-clock';
import { createTestTable } from '../support/test-table';

describe('DynamoCertificateStore', () => {
  it('sees a binding at once, and an unbinding within a minute', async () => {
    const table = await createTestTable();
    const clock = manualClock();
    const bindings = new DynamoCertificateStore(table.client, table.tableName, clock);
    expect(await bindings.thingOf('ab12')).toBeUndefined();
    await bindings.bind('ab12', 'pump-7');
    expect(await bindings.thingOf('ab12')).toBe('pump-7');
    await bindings.unbind('ab12');
    expect(await bindings.thingOf('ab12')).toBe('pump-7'); // the container's cache
    clock.advance(60_000);
    expect(await bindings.thingOf('ab12')).toBeUndefined();
  });
});
