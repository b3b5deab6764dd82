/** A word of the input, quoted back safely: short, on one line, without mrkdwn marks. */
export function shown(token: string): string {
  const t = token.replace(/[\s\p{Cc}]+/gu, ' ').replace(/[`*_~<>]/g, '');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}
