import { describe, expect, it } from 'vitest';
import { createKeywordMatcher } from './opt-out-keywords.ts';

describe('opt-out keywords', () => {
  const match = createKeywordMatcher();

  it('matches the whole message, ignoring case, accents and punctuation', () => {
    expect(match('STOP')).toBe('opt_out');
    expect(match('  Stop! ')).toBe('opt_out');
    expect(match('Désabonner')).toBe('opt_out');
    expect(match('Stop promotions')).toBe('opt_out');
    expect(match('start')).toBe('opt_in');
  });

  it('does not fire on a message that merely contains the word', () => {
    expect(match('please do not stop sending these')).toBeNull();
    expect(match('stopwatch')).toBeNull();
    expect(match('')).toBeNull();
  });

  it('takes a configured list', () => {
    const custom = createKeywordMatcher(['ALTO'], ['SIGA']);
    expect(custom('alto')).toBe('opt_out');
    expect(custom('stop')).toBeNull();
    expect(custom('Siga')).toBe('opt_in');
  });
});
