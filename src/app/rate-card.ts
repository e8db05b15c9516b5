import fs from 'node:fs';
import type { Config } from '../config.ts';
import { DEFAULT_RATE_CARD, parseRateCard, type RateCard } from '../domain/pricing.ts';

/** The rate card CHORUS_RATE_CARD names, or the built-in approximate one. */
export function loadRateCard(config: Pick<Config, 'rateCardPath'>): RateCard {
  return config.rateCardPath ? parseRateCard(fs.readFileSync(config.rateCardPath, 'utf8')) : DEFAULT_RATE_CARD;
}
