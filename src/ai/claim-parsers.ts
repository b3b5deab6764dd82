/** Parsers for the claims a draft makes: numbers in either decimal convention, dates in common forms, references. */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

const iso = (y: number, m: number, d: number): string | null =>
  m >= 1 && m <= 12 && d >= 1 && d <= 31 ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : null;
const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** Date claims with every reading of them (25/11/2026 and 11/25/2026 are both tried); removes them from the text. */
export function takeDates(text: string): { dates: Array<{ raw: string; readings: string[] }>; rest: string } {
  const dates: Array<{ raw: string; readings: string[] }> = [];
  const patterns: Array<[RegExp, (m: RegExpExecArray) => Array<string | null>]> = [
    [/\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:]+)?\b/g, (m) => [iso(+m[1]!, +m[2]!, +m[3]!)]],
    [/\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g, (m) => [iso(+m[3]!, +m[2]!, +m[1]!), iso(+m[3]!, +m[1]!, +m[2]!)]],
    [
      new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? ${MONTH}\\.?,? (\\d{4})\\b`, 'gi'),
      (m) => [iso(+m[3]!, month(m[2]!), +m[1]!)],
    ],
    [
      new RegExp(`\\b${MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'gi'),
      (m) => [iso(+m[3]!, month(m[1]!), +m[2]!)],
    ],
  ];
  let rest = text;
  for (const [re, read] of patterns) {
    rest = rest.replace(re, (...args) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      dates.push({ raw: m[0], readings: read(m).filter((x): x is string => x !== null) });
      return ' ';
    });
  }
  return { dates, rest };
}

/** Document references: a token with letters and digits (P00042, BILL/2026/0003, INV-77); removed from the text. */
export function takeReferences(text: string): { refs: string[]; rest: string } {
  const refs: string[] = [];
  const rest = text.replace(/\b(?=[A-Z0-9/_-]*[A-Z])(?=[A-Z0-9/_-]*\d)[A-Z][A-Z0-9]*(?:[/_-][A-Z0-9]+)*\b/g, (m) => {
    refs.push(m);
    return ' ';
  });
  return { refs, rest };
}

export interface NumberClaim {
  raw: string;
  /** Every reading of the text (1,234 may be 1234 or 1.234). */
  values: number[];
  /** Half of the last shown digit: how far rounding may have moved it. */
  tolerance: number;
  /** Each reading with its own rounding: 1,920 is 1920 ± 0.5 or 1.920 ± 0.0005. */
  readings: Array<{ value: number; tolerance: number }>;
  percent: boolean;
}

function readings(digits: string): Array<{ value: number; decimals: number }> {
  const out: Array<{ value: number; decimals: number }> = [];
  const tryRead = (thousands: string, decimal: string) => {
    const parts = digits.split(decimal);
    if (parts.length > 2) return;
    const [int, frac = ''] = parts as [string, string?];
    const groups = int.split(thousands);
    if (groups.length > 1 && (groups[0]!.length > 3 || groups.slice(1).some((g) => g.length !== 3))) return;
    if (frac.includes(thousands) && thousands !== '') return;
    const value = Number(`${groups.join('')}${frac ? `.${frac}` : ''}`);
    if (Number.isFinite(value)) out.push({ value, decimals: frac.length });
  };
  tryRead(',', '.');
  tryRead('.', ',');
  tryRead(' ', '.');
  tryRead(' ', ',');
  return out;
}

/** Numbers, amounts (12k, 1.2M) and percentages left in the text. */
export function takeNumbers(text: string): NumberClaim[] {
  const claims: NumberClaim[] = [];
  const re =
    /(?<![\w.,])(\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s?(k|m|million|thousand)\b)?(\s?%|\s?percent\b)?/gi;
  for (const m of text.matchAll(re)) {
    const unit = m[2]?.toLowerCase();
    const mult = unit === 'k' || unit === 'thousand' ? 1_000 : unit === 'm' || unit === 'million' ? 1_000_000 : 1;
    const rs = readings(m[1]!);
    if (rs.length === 0) continue;
    const decimals = Math.min(...rs.map((r) => r.decimals));
    const tolerance = (d: number) => 0.5 * 10 ** -d * mult + 1e-9;
    claims.push({
      raw: m[0].trim(),
      values: [...new Set(rs.map((r) => r.value * mult))],
      tolerance: tolerance(decimals),
      readings: rs.map((r) => ({ value: r.value * mult, tolerance: tolerance(r.decimals) })),
      percent: Boolean(m[3]),
    });
  }
  return claims;
}
