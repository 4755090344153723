import type { ModelRole } from './modelCatalog.ts';

/**
 * `squeeze-model.json`: written last into a downloaded model folder, so its presence means the folder
 * is complete. It records where every file came from and the sha256 computed while downloading.
 */
export const MANIFEST_FILE = 'squeeze-model.json';
export const MANIFEST_VERSION = 1;

/** How a file's sha256 was checked: against the catalog, against the server's stated hash, or not at all. */
export type Verification = 'catalog' | 'server' | 'none';

export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly verifiedBy: Verification;
}

export interface ModelManifest {
  readonly version: typeof MANIFEST_VERSION;
  readonly name: string;
  readonly title: string;
  readonly role: ModelRole;
  readonly repo: string;
  readonly revision: string;
  /** The base URL the files came from (the hub or a mirror). */
  readonly source: string;
  readonly files: readonly ManifestFile[];
  /** Optional files the server did not have. */
  readonly skipped: readonly string[];
  readonly completedAt: string;
}

/** Parses a manifest; undefined when the text is not one (or of another version). */
export function parseManifest(text: string): ModelManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const m = json as Partial<ModelManifest>;
  if (m.version !== MANIFEST_VERSION || typeof m.name !== 'string' || !Array.isArray(m.files)) return undefined;
  const filesOk = m.files.every((f) => typeof f?.path === 'string' && typeof f.size === 'number' && typeof f.sha256 === 'string');
  return filesOk ? (m as ModelManifest) : undefined;
}

export function manifestBytes(m: ModelManifest): number {
  return m.files.reduce((n, f) => n + f.size, 0);
}
