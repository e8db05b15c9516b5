// Text Chorus stores must be text both databases keep as it is: PostgreSQL refuses a NUL
// (U+0000) in a text column outright, and a U+FFFD replacement character is what a decoder
// leaves where the bytes were not UTF-8 (a spreadsheet saved as Latin-1, say): stored, the
// name would be silently wrong forever.

/** Why this text cannot be stored as it is, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'holds a NUL character (U+0000), which is never stored';
  if (text.includes('\uFFFD')) return 'is not valid UTF-8 text (save the file or body as UTF-8)';
  return undefined;
}
