const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A Bot Connector service URL from an activity (`serviceUrl`), normalised the
 * way the Teams SDK uses it (no trailing slash), or null when it is not one we
 * will send the bot's token to. Teams names a regional endpoint per
 * conversation (…/emea/, …/amer/, GCC, …); the value reaches us only inside
 * activities whose Bot Framework JWT names the same URL, but we still refuse
 * anything that is not plain https (http only on loopback, for the local
 * fakes), carries credentials, or has a query or fragment that would break
 * the `<serviceUrl>/v3/…` paths.
 */
export function checkServiceUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
