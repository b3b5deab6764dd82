import type { CaseFacts, RiskFlag } from '../flows/context-ports.js';
import { median } from '../flows/risk-flags.js';
import { redactDeep } from './redact.js';

/** Exactly what is sent to the provider: an allow-list of fields, masked. The fact check compares against this. */
export type PromptFacts = Record<string, unknown>;

export function promptFacts(f: CaseFacts, flags: RiskFlag[]): PromptFacts {
  const usual = median(f.history.map((h) => h.amount));
  return redactDeep({
    kind: f.kind,
    reference: f.reference,
    vendor: f.partner,
    amount: f.amount,
    currency: f.currency,
    date: f.date,
    vendorReference: f.partnerRef,
    newVendor: f.newPartner,
    usual: usual === null ? null : { median: Math.round(usual * 100) / 100, documents: f.history.length },
    history: f.history.map((h) => ({ reference: h.reference, date: h.date, amount: h.amount })),
    lastPrices: f.prices.map((p) => ({
      product: p.product,
      unitPrice: p.unitPrice,
      lastPrice: p.lastPrice,
      lastReference: p.lastReference,
      changePct: p.changePct,
    })),
    thresholds: f.thresholds,
    ...(f.bill ? { bill: f.bill } : {}),
    ...(f.sale ? { sale: f.sale } : {}),
    flags: flags.map((x) => x.reason),
  });
}
