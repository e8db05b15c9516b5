import ct from 'countries-and-timezones';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import {
  firstInstantAtOrAfter,
  isInsideWindow,
  isValidTimeZone,
  nextAllowedAt,
  offsetMs,
  PRIMARY_TIME_ZONES,
  parseSendWindow,
  recipientTimeZone,
  timeZoneForCountry,
  wallClock,
} from './send-window.ts';

const day = { start: '09:00', end: '20:00' };
const night = { start: '22:00', end: '06:00' };
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseSendWindow', () => {
  it('reads HH:MM into minutes', () => {
    expect(parseSendWindow(day)).toEqual({ startMin: 540, endMin: 1200 });
  });
  it.each([
    [{ start: '9:00', end: '20:00' }, 'window.start'],
    [{ start: '09:00', end: '24:00' }, 'window.end'],
    [{ start: '09:00', end: '09:60' }, 'window.end'],
    [{ start: '09:00', end: '09:00' }, 'window.end'],
  ])('refuses %j naming %s', (window, field) => {
    expect(() => parseSendWindow(window)).toThrow(AppError);
    expect(() => parseSendWindow(window)).toThrow(field);
  });
});

describe('nextAllowedAt in a fixed-offset zone', () => {
  const zone = 'Asia/Kolkata'; // UTC+05:30, no DST
  it('answers now inside the window (start inclusive, end exclusive)', () => {
    const at0900 = Date.parse('2026-01-15T03:30:00Z');
    expect(nextAllowedAt(at0900, day, zone)).toBe(at0900);
    expect(nextAllowedAt(at0900 + 11 * 3_600_000 - 1, day, zone)).toBe(at0900 + 11 * 3_600_000 - 1);
  });
  it('waits for today’s start before it, tomorrow’s after the end', () => {
    expect(iso(nextAllowedAt(Date.parse('2026-01-15T01:00:00Z'), day, zone))).toBe('2026-01-15T03:30:00.000Z');
    expect(iso(nextAllowedAt(Date.parse('2026-01-15T14:30:00Z'), day, zone))).toBe('2026-01-16T03:30:00.000Z');
  });
  it('handles a window crossing midnight', () => {
    const at2300 = Date.parse('2026-01-15T17:30:00Z');
    const at0300 = Date.parse('2026-01-15T21:30:00Z');
    expect(nextAllowedAt(at2300, night, zone)).toBe(at2300);
    expect(nextAllowedAt(at0300, night, zone)).toBe(at0300);
    expect(iso(nextAllowedAt(Date.parse('2026-01-15T06:30:00Z'), night, zone))).toBe('2026-01-15T16:30:00.000Z');
  });
  it('crosses month and year ends', () => {
    expect(iso(nextAllowedAt(Date.parse('2026-12-31T20:00:00Z'), day, zone))).toBe('2027-01-01T03:30:00.000Z');
  });
});

describe('nextAllowedAt across DST (Europe/Berlin)', () => {
  const zone = 'Europe/Berlin';
  it('uses the summer offset after the spring change', () => {
    // 29 Mar 2026: 02:00 CET → 03:00 CEST. 09:00 CEST is 07:00 UTC.
    expect(iso(nextAllowedAt(Date.parse('2026-03-28T20:00:00Z'), day, zone))).toBe('2026-03-29T07:00:00.000Z');
  });
  it('opens at the end of the gap when the start does not exist that day', () => {
    const window = { start: '02:30', end: '05:00' };
    expect(iso(nextAllowedAt(Date.parse('2026-03-28T23:00:00Z'), window, zone))).toBe('2026-03-29T01:00:00.000Z');
    expect(wallClock(Date.parse('2026-03-29T01:00:00Z'), zone).hour).toBe(3);
  });
  it('skips a day whose window lies wholly inside the gap', () => {
    const window = { start: '02:10', end: '02:50' };
    // Next day 02:10 CEST = 00:10 UTC.
    expect(iso(nextAllowedAt(Date.parse('2026-03-28T23:00:00Z'), window, zone))).toBe('2026-03-30T00:10:00.000Z');
  });
  it('takes the earlier of a repeated wall time when the autumn change repeats it', () => {
    // 25 Oct 2026: 03:00 CEST → 02:00 CET, so 02:30 happens at 00:30 and 01:30 UTC.
    const window = { start: '02:30', end: '05:00' };
    expect(iso(nextAllowedAt(Date.parse('2026-10-24T22:00:00Z'), window, zone))).toBe('2026-10-25T00:30:00.000Z');
  });
  it('firstInstantAtOrAfter finds exact wall times', () => {
    expect(iso(firstInstantAtOrAfter(Date.UTC(2026, 6, 1, 9), zone))).toBe('2026-07-01T07:00:00.000Z');
    expect(offsetMs(Date.UTC(2026, 0, 1), zone)).toBe(3_600_000);
  });
});

describe('nextAllowedAt properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 }))
    .map(([h, q]) => `${String(h).padStart(2, '0')}:${String(q * 15).padStart(2, '0')}`);
  it('returns now when inside, else a later instant inside the window with no allowed instant before it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        clock,
        clock,
        fc.constantFrom(...zones),
        (now, start, end, zone) => {
          fc.pre(start !== end);
          const window = { start, end };
          const next = nextAllowedAt(now, window, zone);
          expect(next).toBeGreaterThanOrEqual(now);
          expect(isInsideWindow(next, window, zone)).toBe(true);
          if (isInsideWindow(now, window, zone)) expect(next).toBe(now);
          else {
            for (let t = now; t < next; t += Math.max(60_000, Math.floor((next - now) / 40))) {
              expect(isInsideWindow(t, window, zone)).toBe(false);
            }
            expect(isInsideWindow(next - 1000, window, zone)).toBe(false);
          }
          expect(next - now).toBeLessThanOrEqual(49 * 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('wallClock', () => {
  it('agrees with Intl at any instant, odd offsets and half-hour DST included (property)', () => {
    const zones = ['Pacific/Chatham', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Europe/London'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const parts = new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          }).formatToParts(ms);
          const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
          expect(wallClock(ms, zone)).toEqual({
            year: get('year'),
            month: get('month'),
            day: get('day'),
            hour: get('hour'),
            minute: get('minute'),
            second: get('second'),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('recipientTimeZone', () => {
  it('prefers a valid timezone attribute, whatever its key case', () => {
    expect(recipientTimeZone({ phone: '+4915112345678', attributes: { timezone: 'America/Denver' } })).toBe(
      'America/Denver',
    );
    expect(recipientTimeZone({ phone: '+4915112345678', attributes: { TimeZone: 'Asia/Tokyo' } })).toBe('Asia/Tokyo');
  });
  it('falls back to the number’s country when the attribute is invalid or absent', () => {
    expect(recipientTimeZone({ phone: '+4915112345678', attributes: { timezone: 'Mars/Olympus' } })).toBe(
      'Europe/Berlin',
    );
    expect(recipientTimeZone({ phone: '+919812345678' })).toBe('Asia/Kolkata');
    expect(recipientTimeZone({ phone: '+16505551234' })).toBe('America/New_York');
    expect(recipientTimeZone({ phone: '+5511987654321' })).toBe('America/Sao_Paulo');
  });
  it('falls back to UTC for an unknown country', () => {
    expect(recipientTimeZone({ phone: 'not a number' })).toBe('UTC');
  });
});

describe('country zones', () => {
  it('maps every populated multi-zone country to a zone Intl knows', () => {
    const unpopulated = ['AQ', 'TF', 'UM'];
    for (const country of Object.values(ct.getAllCountries())) {
      if (country.timezones.length < 2 || unpopulated.includes(country.id)) continue;
      expect(PRIMARY_TIME_ZONES[country.id], country.id).toBeDefined();
    }
    for (const zone of Object.values(PRIMARY_TIME_ZONES)) expect(isValidTimeZone(zone), zone).toBe(true);
  });
  it('uses a single-zone country’s only zone', () => {
    expect(timeZoneForCountry('GB')).toBe('Europe/London');
    expect(timeZoneForCountry('ZZ')).toBeUndefined();
    expect(isValidTimeZone('Nope/Nowhere')).toBe(false);
  });
});
