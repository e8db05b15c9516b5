// Quiet hours in the recipient's local time: a campaign may say "only 09:00–20:00 where each recipient lives".
// Outside the window a message waits for the next window start; it never fails. DST and windows crossing
// midnight are handled with Intl (the IANA database that ships with Node).
import ct from 'countries-and-timezones';
import { AppError } from './errors.ts';
import type { AttributeValue } from './params.ts';
import { attributeValue } from './params.ts';
import { countryOfPhone } from './phone-country.ts';

/** A daily window in local wall-clock time, `HH:MM` 24 h; `end` before `start` crosses midnight. */
export interface SendWindow {
  start: string;
  end: string;
}

/** A window as minutes after local midnight. */
export interface WindowMinutes {
  startMin: number;
  endMin: number;
}

/** The zone used when a recipient's country is unknown. */
export const FALLBACK_TIME_ZONE = 'UTC';

/**
 * The zone for countries spanning several: the zone where most people live, so the rule is documented and
 * deterministic. Recipients elsewhere in the country can set a `timezone` attribute.
 */
export const PRIMARY_TIME_ZONES: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Pohnpei',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh',
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses a window; throws AppError(validation_failed) on a bad time or an empty window (start = end). */
export function parseSendWindow(window: SendWindow): WindowMinutes {
  const startMin = parseClock(window.start, 'window.start');
  const endMin = parseClock(window.end, 'window.end');
  if (startMin === endMin)
    throw new AppError('validation_failed', 'window.end: equals window.start', { field: 'window.end' });
  return { startMin, endMin };
}

function parseClock(text: string, field: string): number {
  const match = HH_MM.exec(text);
  if (!match) throw new AppError('validation_failed', `${field}: "${text}" is not HH:MM (00:00–23:59)`, { field });
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether the text names an IANA time zone that Intl knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone for an ISO country: its only zone, its PRIMARY_TIME_ZONES entry, else the first the package lists. */
export function timeZoneForCountry(country: string): string | undefined {
  const primary = PRIMARY_TIME_ZONES[country];
  if (primary) return primary;
  return ct.getCountry(country)?.timezones[0];
}

/** Where a recipient lives: a valid `timezone` attribute, else their number's country, else UTC. */
export function recipientTimeZone(contact: {
  phone: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}): string {
  const declared = attributeValue(contact.attributes, 'timezone')?.trim();
  if (declared && isValidTimeZone(declared)) return declared;
  const country = countryOfPhone(contact.phone);
  return (country && timeZoneForCountry(country)) || FALLBACK_TIME_ZONE;
}

/** Whether local minutes-after-midnight fall in the window (start inclusive, end exclusive). */
export function isMinuteInside(minute: number, window: WindowMinutes): boolean {
  const { startMin, endMin } = window;
  return startMin < endMin ? minute >= startMin && minute < endMin : minute >= startMin || minute < endMin;
}

/** Whether `nowMs` is inside the window in `zone`. */
export function isInsideWindow(nowMs: number, window: SendWindow, zone: string): boolean {
  const wall = wallClock(nowMs, zone);
  return isMinuteInside(wall.hour * 60 + wall.minute, parseSendWindow(window));
}

/** `nowMs` if inside the window in `zone`, else the instant the next window opens there. */
export function nextAllowedAt(nowMs: number, window: SendWindow, zone: string): number {
  const minutes = parseSendWindow(window);
  const wall = wallClock(nowMs, zone);
  const minuteOfDay = wall.hour * 60 + wall.minute;
  if (isMinuteInside(minuteOfDay, minutes)) return nowMs;
  // Outside: the next start is today unless today's start has passed (only possible when start < end).
  const dayOffset = minuteOfDay >= minutes.startMin ? 1 : 0;
  const target = Date.UTC(wall.year, wall.month - 1, wall.day + dayOffset, 0, minutes.startMin);
  const opensAt = firstInstantAtOrAfter(target, zone);
  // A window lying wholly inside a DST gap does not exist that day: try from there (it is later than now).
  return isInsideWindow(opensAt, window, zone) ? opensAt : nextAllowedAt(opensAt, window, zone);
}

/**
 * The first instant whose local wall time is at or after `targetWall` (a wall time written as if it were UTC).
 * When the wall time occurs twice (DST ends) the earlier wins; when it does not exist (DST starts) the end
 * of the gap.
 */
export function firstInstantAtOrAfter(targetWall: number, zone: string): number {
  const halfDayMs = 12 * 3_600_000;
  const guesses = [offsetMs(targetWall - halfDayMs, zone), offsetMs(targetWall + halfDayMs, zone)].map(
    (offset) => targetWall - offset,
  );
  const exact = guesses.filter((instant) => wallAsUtc(instant, zone) === targetWall).sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];
  // In a gap: local time only moves forward around here, so bisect for the first instant at or past the target.
  let lo = Math.min(...guesses) - 3_600_000;
  let hi = Math.max(...guesses) + 3_600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (wallAsUtc(mid, zone) >= targetWall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Local calendar fields of an instant in a zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The local wall clock of `ms` in `zone`. */
export function wallClock(ms: number, zone: string): WallClock {
  const local = new Date(ms + offsetMs(ms, zone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function wallAsUtc(ms: number, zone: string): number {
  return Math.floor(ms / 1000) * 1000 + offsetMs(ms, zone);
}

// Offsets change only at transitions, which fall on quarter hours in every zone in use today, so one Intl
// reading per zone and quarter hour is enough (Intl formatting costs ~10 µs; the materialiser asks millions).
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 100_000;

/** The zone's UTC offset at an instant, in ms (Berlin in winter: +3,600,000). */
export function offsetMs(ms: number, zone: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${zone} ${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = readOffsetMs(bucket, zone);
  if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function readOffsetMs(ms: number, zone: string): number {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(zone).formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - ms;
}
