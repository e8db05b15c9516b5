// A spreadsheet runs a cell that starts with =, +, -, @ (and, in some, a tab or a carriage return)
// as a formula: an exported name like `=HYPERLINK(…)` would become a link or a command. A leading
// apostrophe makes the cell plain text. An E.164 phone starts with + but is never a formula.

const FORMULA_START = /^[=+\-@\t\r]/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** The cell as a spreadsheet will show it as text: a leading `'` when it could run as a formula. */
export function neutraliseCsvCell(cell: string): string {
  return FORMULA_START.test(cell) && !E164.test(cell) ? `'${cell}` : cell;
}
