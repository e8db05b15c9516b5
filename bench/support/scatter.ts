// Real lists are not sorted by phone, and Meta's wamids begin with the recipient's number: with
// phones in import order, every index keyed by phone or wamid would only ever be appended to.
// Multiplying by a number prime to 10^8 scatters the numbers and keeps them unique.
const SCATTER = 48_271;

/** Row number i spread over 0 … 10^8 − 1: unique for i < 10^8, not in the order of i. */
export function scatteredNumber(i: number): number {
  return (i * SCATTER) % 100_000_000;
}
