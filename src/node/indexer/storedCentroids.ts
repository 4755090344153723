/** The indexer's side of the centroid index: after a run, store it for the generation just committed. */
import { throwIfCancelled, type CancellationToken } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import { DEFAULT_CENTROID_SETTINGS, type CentroidSettings } from '../../common/search/clusteredSearch.ts';
import type { IndexStore } from '../store/indexStore.ts';
import { persistCentroids } from './centroidStore.ts';
import type { IndexEncoder } from './indexEncoder.ts';
import { SearchIndex } from './searchIndex.ts';

export interface StoredCentroidOptions {
  readonly settings?: Partial<CentroidSettings>;
  readonly logger: Logger;
  readonly token?: CancellationToken;
}

/**
 * Updates the store's centroid blob to its current generation: carried over from the previous blob
 * (only new and changed chunks placed), or built when there is none. Skipped below `minChunks`, for an
 * incomplete index, or when the store has no blob API. A failure here is logged, never thrown: search
 * then builds the centroids itself.
 */
export async function refreshStoredCentroids(store: IndexStore, encoder: IndexEncoder, o: StoredCentroidOptions): Promise<void> {
  const settings = { ...DEFAULT_CENTROID_SETTINGS, ...o.settings };
  const manifest = store.manifest;
  if (!manifest?.complete || manifest.files.reduce((n, f) => n + f.count, 0) < settings.minChunks) return;
  throwIfCancelled(o.token);
  try {
    await persistCentroids(store, async () => new SearchIndex(await store.load(), encoder, settings).centroidSource(), settings, o.logger);
  } catch (e) {
    o.logger.warn(`centroid index not stored: ${(e as Error).message}`);
  }
}
