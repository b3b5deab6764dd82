import { AppError } from '../errors.js';
import type { OdooServerVersion } from '../flows/types.js';

/**
 * `common.version()` → our version. `server_serie` is `17.0` or, on Odoo
 * Online, `saas~17.4`; `server_version_info[0]` is not always a number there,
 * so the serie string is what we parse.
 */
export function parseOdooVersion(raw: unknown): OdooServerVersion {
  const info = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const serie = String(info.server_serie ?? info.server_version ?? '');
  const m = /(\d+)\.(\d+)/.exec(serie);
  if (!m) {
    throw new AppError(
      'odoo.bad_version',
      'internal',
      `Odoo answered common.version() without a usable server_serie (${JSON.stringify(raw)}). Check that ODOO_URL points at an Odoo server.`,
    );
  }
  return { serie, major: Number(m[1]), minor: Number(m[2]) };
}
