import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../src/odoo/normalise-record.js';
import { fromOdooDatetime, toOdooDatetime } from '../../src/odoo/odoo-datetime.js';
import { parseOdooVersion } from '../../src/odoo/parse-odoo-version.js';

describe('Odoo value normalisation', () => {
  it('converts datetimes both ways', () => {
    expect(fromOdooDatetime('2026-11-25 10:00:00')).toBe('2026-11-25T10:00:00Z');
    expect(fromOdooDatetime('2026-11-25 10:00:00.123456')).toBe('2026-11-25T10:00:00.123Z');
    expect(toOdooDatetime('2026-11-25T10:00:00Z')).toBe('2026-11-25 10:00:00');
    expect(toOdooDatetime('2026-11-25T12:00:00.999+02:00')).toBe('2026-11-25 10:00:00');
    expect(toOdooDatetime('2026-11-25 10:00:00')).toBe('2026-11-25 10:00:00');
    expect(() => toOdooDatetime('yesterday')).toThrow(/not an ISO-8601/);
  });

  it('normalises a record by field type', () => {
    const fields = {
      partner_id: { type: 'many2one', string: 'Vendor', relation: 'res.partner' },
      user_id: { type: 'many2one', string: 'Buyer', relation: 'res.users' },
      locked: { type: 'boolean', string: 'Locked' },
      origin: { type: 'char', string: 'Source' },
      date_planned: { type: 'date', string: 'Date' },
      write_date: { type: 'datetime', string: 'Updated' },
      order_line: { type: 'one2many', string: 'Lines', relation: 'purchase.order.line' },
      amount_total: { type: 'monetary', string: 'Total' },
    };
    expect(
      normaliseRecord(
        {
          id: 7,
          partner_id: [3, 'Acme'],
          user_id: false,
          locked: false,
          origin: false,
          date_planned: '2026-11-30',
          write_date: '2026-11-25 10:00:00',
          order_line: [1, 2],
          amount_total: 0,
        },
        fields,
      ),
    ).toEqual({
      id: 7,
      partner_id: { id: 3, name: 'Acme' },
      user_id: null,
      locked: false,
      origin: null,
      date_planned: '2026-11-30',
      write_date: '2026-11-25T10:00:00Z',
      order_line: [1, 2],
      amount_total: 0,
    });
  });

  it('parses server versions, Odoo Online ones included', () => {
    expect(parseOdooVersion({ server_serie: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''] })).toEqual({
      serie: '17.0',
      major: 17,
      minor: 0,
    });
    expect(
      parseOdooVersion({ server_serie: 'saas~17.4', server_version_info: ['saas~17', 4, 0, 'final', 0, 'e'] }),
    ).toEqual({
      serie: 'saas~17.4',
      major: 17,
      minor: 4,
    });
    expect(() => parseOdooVersion({})).toThrow(/ODOO_URL/);
  });
});
