/**
 * Dates as people read them, formatted on the server (the pages run no script). Always UTC and always
 * English, so a page renders the same on every host and in every test; the `<time datetime>` around it
 * carries the exact instant for software.
 */
const DATE_TIME = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/** "Mar 4, 2025, 09:05 UTC" for an ISO timestamp; the input itself when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}
