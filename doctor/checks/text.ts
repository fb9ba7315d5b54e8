/**
 * How checks write keys, durations and times: short, and never a usable secret.
 */

/** `AKIA…WXYZ`: enough to tell keys apart, not enough to use one. */
export function maskKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…';
}

/** `7 days`, `3 days 4 hours`, `5 hours`, `12 minutes`. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0)
    return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0) return plural(hours, 'hour');
  return plural(minutes % 60, 'minute');
}

/** `2026-11-22`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `2026-11-22 12:00 UTC`. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
