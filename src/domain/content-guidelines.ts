// What Meta rejects or punishes in a message's content, checked before a template is submitted and
// before a campaign starts (reference/cloud-api.md §5, and Meta's template guidelines): errors stop
// the submission or the launch, warnings ask a person to confirm. Each finding says why.
import { PARAM_LIMITS, textValueProblem } from './template-params-check.ts';

/** How bad a finding is: an error blocks, a warning asks for a confirmation. */
export type ContentSeverity = 'error' | 'warning';

/** The kinds of finding, stable for programs. */
export const CONTENT_FINDING_CODES = [
  'variable_at_edge',
  'too_many_variables',
  'parameter_whitespace',
  'message_too_long',
  'marketing_without_opt_out',
  'url_shortener',
  'all_capitals',
  'emoji_flood',
  'prohibited_words',
] as const;
/** One of CONTENT_FINDING_CODES. */
export type ContentFindingCode = (typeof CONTENT_FINDING_CODES)[number];

/** One problem: what, where, and why it matters. */
export interface ContentFinding {
  code: ContentFindingCode;
  severity: ContentSeverity;
  /** Where: `body`, `params.body[1]`, `recipients`… */
  where: string;
  message: string;
  /** Why Meta rejects or punishes it, in words a marketer understands. */
  why: string;
}

/** The editable list of words in categories Meta prohibits, by category. */
export type ProhibitedWords = Readonly<Record<string, readonly string[]>>;

/**
 * A small starting list from Meta's Commerce and Business Messaging policies' prohibited
 * categories; each business edits it (CHORUS_CONTENT_WORDS) for its own language and trade.
 */
export const DEFAULT_PROHIBITED_WORDS: ProhibitedWords = {
  'drugs and paraphernalia': ['cannabis', 'marijuana', 'cocaine', 'vape'],
  weapons: ['firearm', 'ammunition', 'handgun'],
  'gambling and lotteries': ['casino', 'betting', 'jackpot', 'lottery'],
  'financial schemes': ['payday loan', 'get rich', 'crypto giveaway', 'guaranteed return'],
  'adult content': ['xxx', 'escort'],
  'tobacco and alcohol': ['cigarettes', 'tobacco'],
};

// Link shorteners hide where a link goes: Meta rejects templates with them and users report them.
const URL_SHORTENERS = [
  'bit.ly',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'rb.gy',
  'tiny.cc',
  'bl.ink',
  't.ly',
  's.id',
];
const SHORTENER = new RegExp(`(^|[^\\w.-])(${URL_SHORTENERS.map((d) => d.replace('.', '\\.')).join('|')})/\\S+`, 'i');
const PLACEHOLDER = /\{\{\s*[A-Za-z0-9_]+\s*\}\}/g;
const EMOJI = /\p{Extended_Pictographic}/gu;
const LETTER = /\p{L}/gu;
const UPPER = /\p{Lu}/gu;

/** The texts of a template a person wrote. */
export interface TemplateTexts {
  header?: string;
  body: string;
  footer?: string;
  buttons?: readonly string[];
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  hasOptOut: boolean;
}

/** Checks a template's own text, as Meta's review would see it. */
export function checkTemplateTexts(texts: TemplateTexts, words: ProhibitedWords): ContentFinding[] {
  const findings: ContentFinding[] = [];
  const body = texts.body.trim();
  const variables = body.match(PLACEHOLDER) ?? [];
  if (variables.length > 0 && (body.startsWith('{{') || body.endsWith('}}'))) {
    findings.push({
      code: 'variable_at_edge',
      severity: 'error',
      where: 'body',
      message: 'the body starts or ends with a variable',
      why: 'Meta rejects templates whose text begins or ends with a parameter: put words around it',
    });
  }
  const fixedWords = body.replace(PLACEHOLDER, ' ').split(/\s+/).filter(Boolean).length;
  // Meta's review refuses templates that are mostly variables; about three words a variable pass.
  if (variables.length > 0 && fixedWords < variables.length * 3) {
    findings.push({
      code: 'too_many_variables',
      severity: 'error',
      where: 'body',
      message: `${variables.length} variable(s) in ${fixedWords} word(s) of fixed text`,
      why: 'Meta rejects templates with too many variables for their length: they could say anything',
    });
  }
  if (texts.category === 'MARKETING' && !texts.hasOptOut) findings.push(missingOptOut());
  const all = [texts.header, texts.body, texts.footer, ...(texts.buttons ?? [])].filter((t) => t !== undefined);
  findings.push(...checkText(all.join('\n'), 'template', words));
  return findings;
}

/** Checks what a campaign sends: its literal parameters, and one recipient's rendered message. */
export function checkCampaignTexts(
  campaign: {
    literals: readonly { where: string; value: string }[];
    renderedBody: string | null;
    isMarketing: boolean;
    hasOptOut: boolean;
  },
  words: ProhibitedWords,
): ContentFinding[] {
  const findings: ContentFinding[] = [];
  for (const { where, value } of campaign.literals) {
    const problem = textValueProblem(value);
    if (problem !== null && problem !== 'empty value') {
      findings.push({
        code: 'parameter_whitespace',
        severity: 'error',
        where,
        message: `the parameter ${problem}`,
        why: 'Meta refuses a parameter with a newline, a tab or more than four spaces in a row (error 100): every message would fail',
      });
    }
  }
  if (campaign.renderedBody !== null && campaign.renderedBody.length > PARAM_LIMITS.bodyChars) {
    findings.push({
      code: 'message_too_long',
      severity: 'error',
      where: 'body',
      message: `the message is ${campaign.renderedBody.length} characters once filled in`,
      why: `Meta refuses a body over ${PARAM_LIMITS.bodyChars} characters (error 132005)`,
    });
  }
  if (campaign.isMarketing && !campaign.hasOptOut) findings.push(missingOptOut());
  const literalText = campaign.literals.map((l) => l.value).join('\n');
  findings.push(...checkText(literalText, 'params', words));
  if (campaign.renderedBody !== null) findings.push(...checkText(campaign.renderedBody, 'message', words));
  return dedupe(findings);
}

/** The checks every text gets: shorteners, capitals, emoji and prohibited words. */
function checkText(text: string, where: string, words: ProhibitedWords): ContentFinding[] {
  const findings: ContentFinding[] = [];
  const shortener = SHORTENER.exec(text);
  if (shortener) {
    findings.push({
      code: 'url_shortener',
      severity: 'warning',
      where,
      message: `a shortened link (${shortener[2]})`,
      why: 'shortened links hide where they go: Meta rejects templates with them and people report them as spam; use your own domain',
    });
  }
  const letters = text.replace(PLACEHOLDER, '').match(LETTER)?.length ?? 0;
  const upper = text.replace(PLACEHOLDER, '').match(UPPER)?.length ?? 0;
  if (letters >= 20 && upper / letters > 0.7) {
    findings.push({
      code: 'all_capitals',
      severity: 'warning',
      where,
      message: `${Math.round((upper / letters) * 100)}% of the letters are capitals`,
      why: 'text in capitals reads as shouting and gets messages blocked and reported, which lowers your quality rating',
    });
  }
  const emoji = text.match(EMOJI)?.length ?? 0;
  if (emoji > 10 || (emoji >= 4 && emoji > letters / 10)) {
    findings.push({
      code: 'emoji_flood',
      severity: 'warning',
      where,
      message: `${emoji} emoji`,
      why: 'a flood of emoji looks like spam to people and to Meta, and lowers your quality rating',
    });
  }
  const found = prohibitedIn(text, words);
  if (found.length > 0) {
    findings.push({
      code: 'prohibited_words',
      severity: 'warning',
      where,
      message: `words of prohibited categories: ${found.map((f) => `"${f.word}" (${f.category})`).join(', ')}`,
      why: "Meta's commerce and business messaging policies prohibit these categories: the template can be rejected and the account restricted",
    });
  }
  return findings;
}

function prohibitedIn(text: string, words: ProhibitedWords): { word: string; category: string }[] {
  const lower = text.toLowerCase();
  const found: { word: string; category: string }[] = [];
  for (const [category, list] of Object.entries(words)) {
    for (const word of list) {
      const at = lower.indexOf(word.toLowerCase());
      if (at >= 0 && isWordBoundary(lower, at, word.length)) found.push({ word, category });
    }
  }
  return found;
}

function isWordBoundary(text: string, at: number, length: number): boolean {
  const before = text[at - 1];
  const after = text[at + length];
  return (before === undefined || !/\p{L}/u.test(before)) && (after === undefined || !/\p{L}/u.test(after));
}

function missingOptOut(): ContentFinding {
  return {
    code: 'marketing_without_opt_out',
    severity: 'warning',
    where: 'template',
    message: 'a marketing template without an opt-out',
    why: 'people who cannot stop promotions block and report you instead, and Meta lowers your quality and limits; add a "Stop promotions" quick reply',
  };
}

function dedupe(findings: ContentFinding[]): ContentFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether any finding blocks. */
export function hasBlockingFinding(findings: readonly ContentFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
