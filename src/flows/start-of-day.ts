/** The zone's offset from UTC at an instant, in ms (wall clock minus UTC). */
function zoneOffsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - Math.floor(at / 60_000) * 60_000
  );
}

/**
 * Midnight of a calendar date in a time zone, as an instant. The offset is
 * read at midnight itself (not at noon), so days when clocks change start at
 * their real local midnight.
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  // First guess with the offset at noon, then correct with the offset at that guess.
  let at = wallMidnight - zoneOffsetAt(Date.UTC(y, m - 1, d, 12), timeZone);
  at = wallMidnight - zoneOffsetAt(at, timeZone);
  return new Date(at);
}

/** The end of a calendar date in a time zone (the start of the next day there): where an inclusive "until" stops. */
export function endOfDayIn(date: string, timeZone: string): Date {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfDayIn(next, timeZone);
}
