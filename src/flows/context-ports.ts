/**
 * Ports and types for the context around a case: deterministic facts read
 * from Odoo, the risk flags derived from them, and the optional AI summary.
 * Kept apart from ports.ts so the approval core does not change when these do.
 */
import type { CaseSnapshot } from './types.js';

/** Which family of document the facts describe; decides which facts apply. */
export type FactKind = 'purchase' | 'bill' | 'expense' | 'sale' | 'other';

/** An earlier document of the same vendor (or employee), newest first. */
export interface PastDocument {
  reference: string;
  /** `YYYY-MM-DD`. */
  date: string | null;
  amount: number;
  /** The vendor's own reference (purchase `partner_ref`, bill `ref`), for duplicate checks. */
  partnerRef?: string | null;
  /** The currency of `amount` (purchase orders and bills); absent when not read. */
  currency?: string | null;
  /**
   * `amount` in the company currency at the document's own rate, so a vendor
   * history in several currencies compares like with like; null when Odoo
   * gave no rate, absent when not read.
   */
  companyAmount?: number | null;
}

/** The last price paid for a product of this document, and how it changed. One per product, however many lines. */
export interface PriceFact {
  product: string;
  /** The highest unit price this document has for the product. */
  unitPrice: number;
  /** The product's newest confirmed purchase order line on another order of the same company; null when none. */
  lastPrice: number | null;
  /** Reference of the document the last price comes from. */
  lastReference: string | null;
  /**
   * Set only when the last price is in another currency than this document
   * (`unitPrice` is in the document's `currency`): the last price's currency.
   */
  lastCurrency?: string;
  /**
   * Percent change from the last price, one decimal; null when there is no
   * last price. With `lastCurrency`, the change in the company currency
   * (each price at its own order's rate), null when a rate is missing.
   */
  changePct: number | null;
}

/** Facts about a document, gathered in a few reads; everything the card and the AI may say comes from here. */
export interface CaseFacts {
  kind: FactKind;
  reference: string;
  partner: string | null;
  amount: number | null;
  currency: string | null;
  /**
   * `amount` in the company currency (purchase orders and bills), for
   * comparisons with a history in other currencies and with the tier
   * thresholds; absent when not read.
   */
  companyAmount?: number | null;
  /** `YYYY-MM-DD`. */
  date: string | null;
  /** The vendor's reference on this document. */
  partnerRef: string | null;
  /** The same vendor's (or employee's) last 5 documents before this one, newest first. */
  history: PastDocument[];
  /** True when the vendor has no earlier confirmed document. */
  newPartner: boolean;
  prices: PriceFact[];
  /** The flow's tier thresholds (tier `minAmount`s), ascending. */
  thresholds: number[];
  /** Bills: the matching purchase order, its receipts line by line, and the variance. */
  bill?: {
    orderReference: string | null;
    /** The order's `amount_total`, in the order's currency. */
    orderAmount: number | null;
    /** The bill's total less the order's; in the company currency when `orderCurrency` is set. */
    variance: number | null;
    variancePct: number | null;
    /**
     * Set only when the order is in another currency than the bill: the
     * order's currency. `variance`, `variancePct` and each line's
     * `priceChangePct` then compare in the company currency, each document
     * at its own rate (the bill's `amount_total_signed`, the order's
     * `currency_rate`); null when a rate is missing.
     */
    orderCurrency?: string;
    /** Bill lines matched to order lines through `purchase_line_id`; absent when the bill has no order lines. */
    lines?: BillLineFact[];
  };
  /** Sale orders: the largest line discount and the margin, in percent. */
  sale?: { maxDiscountPct: number | null; marginPct: number | null };
}

/**
 * One order line against what was received and what this bill charges for it
 * (bill lines of the same order line added up). Receipts are the order line's
 * `qty_received`, which Odoo keeps from the validated receipts.
 */
export interface BillLineFact {
  product: string;
  /** Order line `product_qty`. */
  ordered: number;
  /** Order line `qty_received`. */
  received: number;
  /** This bill's quantity for the order line. */
  billed: number;
  /** Order line `price_unit`. */
  orderPrice: number;
  /** The highest unit price this bill charges for the order line. */
  billPrice: number;
  /**
   * Percent from the order price to the bill price, one decimal; null when
   * the order price is 0. In the company currency when the bill's
   * `orderCurrency` is set (null when a rate is missing).
   */
  priceChangePct: number | null;
}

/** Reads the facts for one document. Implemented over the Odoo gateway in src/odoo/context-source.ts. */
export interface ContextSource {
  gather(model: string, id: number, snapshot: CaseSnapshot, thresholds: number[]): Promise<CaseFacts>;
}

/** A deterministic warning shown on the card with its reason. */
export interface RiskFlag {
  code:
    | 'new_vendor'
    | 'price_increase'
    | 'amount_above_usual'
    | 'split_order'
    | 'duplicate_reference'
    | 'bill_variance'
    | 'billed_over_received'
    | 'bill_price_above_order'
    | 'discount_above_limit'
    | 'margin_below_limit';
  reason: string;
}

/**
 * The names of the facts an AI provider may receive, as the policy's
 * `ai.facts` allowlist names them (docs/policies.md, "Summaries and risk flags").
 */
export const FACT_NAMES = [
  'reference',
  'vendor',
  'amount',
  'currency',
  'date',
  'vendorReference',
  'newVendor',
  'usual',
  'history',
  'lastPrices',
  'thresholds',
  'bill',
  'sale',
  'flags',
] as const;
export type FactName = (typeof FACT_NAMES)[number];

/** What the summarizer answers: a checked draft, or why there is none (the card keeps its deterministic summary). */
export type SummaryOutcome =
  | { status: 'shown'; text: string; promptVersion: string; cached: boolean }
  | { status: 'rejected'; reasons: string[] }
  | { status: 'unavailable'; reason: 'disabled' | 'circuit_open' | 'timeout' | 'failed'; detail?: string };

/** Asks an AI provider for a two-sentence summary, masks what is sent and fact-checks what comes back. */
export interface Summarizer {
  /**
   * `key` identifies the record version (model, id, write_date) for the cache;
   * `allow` is the flow's `ai.facts` allowlist (absent: every fact).
   */
  summarize(key: string, facts: CaseFacts, flags: RiskFlag[], allow?: readonly FactName[]): Promise<SummaryOutcome>;
}

/** What a card shows beyond the case: flags, the deterministic summary and an accepted AI draft. */
export interface CaseInsights {
  /** The record version the insights describe. */
  writeDate: string | null;
  flags: RiskFlag[];
  summary: string;
  aiDraft: string | null;
  /** The facts the flags and summary came from, so the AI job does not read Odoo again. */
  facts?: CaseFacts;
}

/**
 * Where insights wait for the next card redraw. The Case type has no room for
 * them; kept in the store (PostgreSQL or PGlite, src/store/pg-insight-board.ts)
 * so every process redraws the same flags and AI draft, and a restart keeps an
 * accepted draft without asking the provider again.
 */
export interface InsightBoard {
  /** The latest insights put for the case, of whatever record version; null when none. */
  get(caseId: string): Promise<CaseInsights | null>;
  /**
   * Keeps `insights` unless they would replace a later record version, or an
   * accepted draft with none for the same version (see `replacesInsights`):
   * two processes may race, and the later `write_date` wins.
   */
  put(caseId: string, insights: CaseInsights): Promise<void>;
}

/** Everything the context features need; absent, cards show the plain summary. */
export interface ContextDeps {
  context: ContextSource;
  insights: InsightBoard;
  /** Unset when no AI provider is configured. */
  summarizer?: Summarizer;
  /** Price increase that raises a flag, percent (RISK_PRICE_INCREASE_PCT); a flow's `risk.priceIncreasePct` wins. Default 10. */
  priceIncreasePct?: number;
}
