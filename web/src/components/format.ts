// How the dashboard writes times and numbers: in the viewer's own locale and time zone.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const integer = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A moment as the viewer reads it, or a dash. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A count with the viewer's digit grouping. */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** `part` of `whole` as a percentage, or an empty string when there is no whole. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? percent.format(part / whole) : '';
}
