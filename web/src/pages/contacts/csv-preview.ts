import Papa from 'papaparse';

/** The header and first rows of a CSV file, read in the browser before anything is uploaded. */
export interface CsvPreview {
  headers: string[];
  rows: string[][];
}

/** Rows shown under the header. */
export const PREVIEW_ROWS = 5;

/** Reads only the start of the file (Papa Parse stops after the preview), whatever its size. */
export function readCsvPreview(file: File): Promise<CsvPreview> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file, {
      preview: PREVIEW_ROWS + 1,
      skipEmptyLines: true,
      complete: ({ data }) => {
        const [headers, ...rows] = data;
        if (!headers || headers.every((h) => h.trim() === ''))
          reject(new Error('The file is empty: a header row is needed.'));
        else resolve({ headers, rows });
      },
      error: (error) => reject(error),
    });
  });
}
