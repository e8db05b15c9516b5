// Opt-out and opt-in words people send (DESIGN.md: they act at once). Matched on the whole message,
// ignoring case, accents, punctuation and surrounding spaces, so "Stop!" and "désabonner" count.

/** Default words meaning "stop messaging me", in the languages of common markets. */
export const DEFAULT_OPT_OUT_WORDS = [
  'stop',
  'stop promotions',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'stopall',
  'opt out',
  'optout',
  'parar',
  'pare',
  'cancelar',
  'baja',
  'darse de baja',
  'sair',
  'descadastrar',
  'arreter',
  'desabonner',
  'desinscrire',
  'abmelden',
  'abbestellen',
  'stoppen',
  'basta',
  'annulla',
  'disiscriviti',
  'afmelden',
  'berhenti',
  'rukiye',
  'band karo',
] as const;

/** Default words meaning "start again". */
export const DEFAULT_OPT_IN_WORDS = [
  'start',
  'unstop',
  'subscribe',
  'resume',
  'iniciar',
  'comenzar',
  'anmelden',
] as const;

/** What an inbound text asks for, if anything. */
export type KeywordIntent = 'opt_out' | 'opt_in' | null;

/** Lower-case, accent-free, punctuation-free, single-spaced form of a message. */
export function normaliseKeyword(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Says whether a whole message is an opt-out or opt-in word. */
export type KeywordMatcher = (text: string) => KeywordIntent;

/** Builds a matcher over the given word lists (configurable per deployment). */
export function createKeywordMatcher(
  optOutWords: readonly string[] = DEFAULT_OPT_OUT_WORDS,
  optInWords: readonly string[] = DEFAULT_OPT_IN_WORDS,
): KeywordMatcher {
  const optOut = new Set(optOutWords.map(normaliseKeyword));
  const optIn = new Set(optInWords.map(normaliseKeyword));
  return (text) => {
    const word = normaliseKeyword(text);
    if (optOut.has(word)) return 'opt_out';
    if (optIn.has(word)) return 'opt_in';
    return null;
  };
}
