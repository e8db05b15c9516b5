import { ConfigError } from '../config.ts';
import { AppError, coerceError } from '../domain/errors.ts';

/** How a command prints: JSON for machines (`--json`), plain lines for people. */
export interface Printer {
  readonly isJson: boolean;
  /** Prints a result: the value as JSON, or the human lines. */
  result(value: unknown, humanLines: () => string[]): void;
  /** Prints a note for people to stderr (never in --json mode's stdout). */
  note(line: string): void;
  /** Writes a chunk of a file-shaped output (e.g. CSV) to stdout as it is; resolves once stdout can take more. */
  write(chunk: string): Promise<void>;
}

/** The printer for one command run. */
export function createPrinter(isJson: boolean): Printer {
  return {
    isJson,
    result(value, humanLines) {
      process.stdout.write(isJson ? `${JSON.stringify(value)}\n` : `${humanLines().join('\n')}\n`);
    },
    note(line) {
      process.stderr.write(`${line}\n`);
    },
    async write(chunk) {
      // Honour back-pressure so a million-row CSV piped to a slow reader stays flat in memory.
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    },
  };
}

/** Ends the process with a one-line reason: known errors say what to fix, others their message. */
export function exitWithError(thrown: unknown, isJson: boolean): never {
  const error = coerceError(thrown);
  const code = error instanceof AppError ? error.code : error instanceof ConfigError ? 'config' : 'error';
  if (isJson) process.stdout.write(`${JSON.stringify({ error: { code, message: error.message } })}\n`);
  process.stderr.write(`chorus: ${error.message}\n`);
  process.exit(1);
}

/** Runs one command's work with its printer; any failure exits non-zero with a one-line reason. */
export async function runCommand(opts: { json?: boolean }, work: (printer: Printer) => Promise<void>): Promise<void> {
  const printer = createPrinter(opts.json === true);
  try {
    await work(printer);
  } catch (error) {
    exitWithError(error, printer.isJson);
  }
}
