import { setFlagsFromString } from 'node:v8';

/**
 * A server keeps about 40 MB alive, but under load V8 let its heap grow to four times that before
 * each full collection (the dispatcher's RSS passed 400 MB; an import of a million rows, 258 MB).
 * Growing by at most 15% over what survives keeps it near the live size; those collections are
 * short, the live set being small. V8 reads this flag at each collection, so setting it at run
 * time takes effect. For the long runs: `chorus start` and `chorus contacts import`.
 */
export function keepHeapNearLiveSize(): void {
  setFlagsFromString('--heap-growing-percent=15');
}
