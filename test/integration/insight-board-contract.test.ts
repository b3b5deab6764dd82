import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseInsights, InsightBoard } from '../../src/flows/context-ports.js';
import { PgInsightBoard } from '../../src/store/pg-insight-board.js';
import { PgStore } from '../../src/store/pg-store.js';
import { InMemoryInsightBoard } from '../fakes/in-memory-insight-board.js';
import { aCaseFacts, aPrice } from '../support/ai-facts.js';
import { testDatabases } from '../support/databases.js';

/** Insights for one record version; override what the test is about. */
function anInsights(overrides: Partial<CaseInsights> = {}): CaseInsights {
  return {
    writeDate: '2026-11-20 09:00:00',
    flags: [{ code: 'price_increase', reason: 'Office Chair: up 20.0% from 150.00 on P00040 (limit 10%)' }],
    summary: 'Purchase order P00042 from Azure Interior: 1,250.50 EUR.',
    aiDraft: null,
    facts: aCaseFacts({ prices: [aPrice({ unitPrice: 180, changePct: 20 })] }),
    ...overrides,
  };
}

interface Backend {
  name: string;
  /** A board, a way to make a case it may hold insights for, and the clean-up. */
  connect(): Promise<{ board: InsightBoard; newCase(): Promise<string>; close(): Promise<void> }>;
}

let nextOdooId = 7000;
const backends: Backend[] = [
  {
    name: 'in-memory',
    connect: async () => ({
      board: new InMemoryInsightBoard(),
      newCase: async () => randomUUID(),
      close: async () => {},
    }),
  },
  ...testDatabases.map(
    (database): Backend => ({
      name: database.name,
      async connect() {
        const handle = await database.connect();
        const store = await PgStore.connect(handle.connectionString, { schema: handle.schema, poolSize: 10 });
        return {
          board: new PgInsightBoard(store.db, { schema: handle.schema }),
          async newCase() {
            const opened = await store.openCase({
              flowId: 'purchase-approval',
              odooModel: 'purchase.order',
              odooId: nextOdooId++,
              snapshot: {
                reference: 'P00042',
                partner: 'Azure Interior',
                amount: 1250.5,
                currency: 'EUR',
                owner: 'Marc Demo',
                date: '2026-11-20',
                state: 'to approve',
                writeDate: '2026-11-20 09:00:00',
                lines: [],
                lineCount: 0,
                url: null,
              },
              requesterIds: [7],
              approvers: [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com' }],
            });
            return opened.case.id;
          },
          async close() {
            await store.close();
            await handle.close();
          },
        };
      },
    }),
  ),
];

describe.each(backends)('InsightBoard contract on $name', (backend) => {
  let board: InsightBoard;
  let newCase: () => Promise<string>;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ board, newCase, close } = await backend.connect());
  });
  afterAll(async () => close?.());

  it('answers null for a case with nothing put, and gives back what was put', async () => {
    const id = await newCase();
    expect(await board.get(id)).toBeNull();
    expect(await board.get(randomUUID())).toBeNull();
    const insights = anInsights();
    await board.put(id, insights);
    expect(await board.get(id)).toEqual(insights);
    expect(await board.get(await newCase())).toBeNull();
  });

  it('hands out copies: changing what get returned changes nothing stored', async () => {
    const id = await newCase();
    await board.put(id, anInsights());
    const read = await board.get(id);
    read!.flags.length = 0;
    expect((await board.get(id))!.flags).toHaveLength(1);
  });

  it('adds an accepted draft to the same version, and a redraw without one does not remove it', async () => {
    const id = await newCase();
    await board.put(id, anInsights());
    const drafted = anInsights({ aiDraft: 'Order P00042 from Azure Interior totals 1,250.50 EUR.' });
    await board.put(id, drafted);
    expect(await board.get(id)).toEqual(drafted);
    await board.put(id, anInsights({ summary: 'gathered again' }));
    expect(await board.get(id)).toEqual(drafted);
  });

  it('a later record version replaces the earlier one, draft and all; an older one never replaces a newer', async () => {
    const id = await newCase();
    await board.put(id, anInsights({ aiDraft: 'old draft' }));
    const newer = anInsights({ writeDate: '2026-11-21 08:00:00', summary: 'newer' });
    await board.put(id, newer);
    expect(await board.get(id)).toEqual(newer);
    await board.put(id, anInsights({ writeDate: '2026-11-20 09:00:00', aiDraft: 'late draft of the old version' }));
    await board.put(id, anInsights({ writeDate: null }));
    expect(await board.get(id)).toEqual(newer);
  });

  it('orders Odoo and ISO write dates as times, not as text', async () => {
    const id = await newCase();
    const iso = anInsights({ writeDate: '2026-11-20T10:00:00Z' });
    await board.put(id, iso);
    // As text '2026-11-20 11…' sorts before '2026-11-20T10…'; as a time it is later.
    const odoo = anInsights({ writeDate: '2026-11-20 11:00:00' });
    await board.put(id, odoo);
    expect(await board.get(id)).toEqual(odoo);
    await board.put(id, anInsights({ writeDate: '2026-11-20T10:30:00.000Z' }));
    expect(await board.get(id)).toEqual(odoo);
  });

  it('a dated version replaces insights of a record without a write date', async () => {
    const id = await newCase();
    await board.put(id, anInsights({ writeDate: null }));
    await board.put(id, anInsights({ writeDate: null, aiDraft: 'draft' }));
    expect((await board.get(id))?.aiDraft).toBe('draft');
    const dated = anInsights();
    await board.put(id, dated);
    expect(await board.get(id)).toEqual(dated);
  });

  it('of puts racing in any order, the latest record version stays', async () => {
    const id = await newCase();
    const versions = Array.from({ length: 12 }, (_, i) =>
      anInsights({ writeDate: `2026-11-20 09:${String(i).padStart(2, '0')}:00`, summary: `version ${i}` }),
    );
    const shuffled = [...versions].sort(() => Math.random() - 0.5);
    await Promise.all(shuffled.map((v) => board.put(id, v)));
    expect(await board.get(id)).toEqual(versions.at(-1));
  });
});
