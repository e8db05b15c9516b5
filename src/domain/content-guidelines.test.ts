import { describe, expect, it } from 'vitest';
import {
  type ContentFinding,
  checkCampaignTexts,
  checkTemplateTexts,
  DEFAULT_PROHIBITED_WORDS,
  hasBlockingFinding,
} from './content-guidelines.ts';

const words = DEFAULT_PROHIBITED_WORDS;
const codes = (findings: ContentFinding[]) => findings.map((f) => `${f.severity}:${f.code}`);
const template = (body: string, extra: Partial<Parameters<typeof checkTemplateTexts>[0]> = {}) =>
  checkTemplateTexts({ body, category: 'UTILITY', hasOptOut: false, ...extra }, words);

describe('checkTemplateTexts', () => {
  it('passes an ordinary template', () => {
    expect(template('Hi {{1}}, your order {{2}} has shipped and will arrive tomorrow.')).toEqual([]);
  });
  it('blocks a variable at the very start or end, and too many variables for the text', () => {
    expect(codes(template('{{1}}, your order has shipped today as promised.'))).toEqual(['error:variable_at_edge']);
    expect(codes(template('Your order has shipped today, {{1}}'))).toEqual(['error:variable_at_edge']);
    expect(codes(template('Hi {{1}} {{2}} {{3}} ok'))).toEqual(['error:too_many_variables']);
  });
  it('warns of a marketing template without an opt-out, shorteners, capitals, emoji floods and prohibited words', () => {
    expect(codes(template('Hi {{1}}, see our spring sale today in store.', { category: 'MARKETING' }))).toEqual([
      'warning:marketing_without_opt_out',
    ]);
    expect(codes(template('Hi {{1}}, see our sale at https://bit.ly/abc today.'))).toEqual(['warning:url_shortener']);
    expect(codes(template('Hi {{1}}, BIG SPRING SALE TODAY ONLY IN EVERY STORE.'))).toEqual(['warning:all_capitals']);
    expect(codes(template('Hi {{1}}, sale 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 today in store.'))).toEqual(['warning:emoji_flood']);
    const casino = template('Hi {{1}}, visit our casino tonight for a jackpot night.');
    expect(codes(casino)).toEqual(['warning:prohibited_words']);
    expect(casino[0]?.message).toContain('"casino" (gambling and lotteries)');
    expect(casino[0]?.why).toMatch(/prohibit/);
  });
  it('matches whole words only, and follows an edited list', () => {
    expect(template('Hi {{1}}, our occasion wear is in store today now.')).toEqual([]);
    const own = checkTemplateTexts(
      { body: 'Hi {{1}}, try our new Widget today at the store.', category: 'UTILITY', hasOptOut: false },
      { 'our own rule': ['widget'] },
    );
    expect(codes(own)).toEqual(['warning:prohibited_words']);
  });
});

describe('checkCampaignTexts', () => {
  const campaign = (literals: string[], renderedBody: string | null) =>
    checkCampaignTexts(
      {
        literals: literals.map((value, i) => ({ where: `params.body[${i}]`, value })),
        renderedBody,
        isMarketing: false,
        hasOptOut: false,
      },
      words,
    );
  it('blocks a literal parameter with a newline, a tab or five spaces, and a message over 1024 characters', () => {
    const findings = campaign(['two\nlines', 'tab\there', 'far     apart'], 'Hi');
    expect(codes(findings)).toEqual([
      'error:parameter_whitespace',
      'error:parameter_whitespace',
      'error:parameter_whitespace',
    ]);
    expect(findings.map((f) => f.where)).toEqual(['params.body[0]', 'params.body[1]', 'params.body[2]']);
    expect(hasBlockingFinding(findings)).toBe(true);
    expect(codes(campaign([], 'x'.repeat(1025)))).toEqual(['error:message_too_long']);
    expect(hasBlockingFinding(campaign(['fine'], 'Hi fine, all good'))).toBe(false);
  });
  it('warns of a shortener in a parameter once, however often it shows', () => {
    const findings = campaign(['https://tinyurl.com/x'], 'See https://tinyurl.com/x now');
    expect(codes(findings)).toEqual(['warning:url_shortener', 'warning:url_shortener']);
    expect(findings.map((f) => f.where)).toEqual(['params', 'message']);
  });
});
