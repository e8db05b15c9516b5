import { stringify } from 'csv-stringify/sync';
import { neutraliseCsvCell } from '../domain/csv-cell.ts';

/**
 * CSV lines for rows Chorus writes out (reports, exports): every text cell is neutralised so a
 * spreadsheet shows it as text instead of running it as a formula. Numbers stay numbers.
 */
export function toCsvLines(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows as unknown[][], { cast: { string: (cell) => neutraliseCsvCell(cell) } });
}
