import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError } from '../../domain/errors.ts';

/** An uploaded CSV as a byte stream, never held whole in memory. */
export interface CsvUpload {
  stream: AsyncIterable<Uint8Array | string>;
  fileName: string | undefined;
}

const RAW_CSV_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/octet-stream',
  'application/vnd.ms-excel',
];

/** The CSV of an import request: the raw body, or the `file` field of a multipart form, streamed. */
export async function readCsvUpload(request: Request): Promise<CsvUpload> {
  const contentType = (request.headers.get('content-type') ?? 'text/csv').toLowerCase();
  if (!request.body) throw new AppError('invalid_csv', 'the request has no body (send the CSV)', { field: 'file' });
  if (contentType.startsWith('multipart/form-data')) return multipartFile(request, request.body);
  if (RAW_CSV_TYPES.some((t) => contentType.startsWith(t))) return { stream: request.body, fileName: undefined };
  throw new AppError('unsupported_media_type', `send the CSV as text/csv or multipart/form-data, not ${contentType}`, {
    field: 'content-type',
  });
}

function multipartFile(request: Request, body: ReadableStream<Uint8Array>): Promise<CsvUpload> {
  return new Promise((resolve, reject) => {
    const parser = busboy({ headers: Object.fromEntries(request.headers), limits: { files: 1 } });
    parser.on('file', (name, file, info) => {
      if (name === 'file') resolve({ stream: file, fileName: info.filename });
      else file.resume();
    });
    parser.on('close', () =>
      reject(new AppError('invalid_csv', 'the multipart form has no "file" field', { field: 'file' })),
    );
    parser.on('error', (error) =>
      reject(
        new AppError('invalid_csv', `the multipart form is malformed: ${(error as Error).message}`, { field: 'file' }),
      ),
    );
    Readable.fromWeb(body as NodeWebStream<Uint8Array>).pipe(parser);
  });
}
