import type { Compilable } from 'kysely';

/** Runs a built query: on the caller's connection, or on a background reader (sqlite-reader.ts). */
export type QueryReader = <O>(query: Compilable<O> & { execute(): Promise<O[]> }) => Promise<O[]>;

/** Runs a query on the connection it was built on. */
export const readOnConnection: QueryReader = (query) => query.execute();
