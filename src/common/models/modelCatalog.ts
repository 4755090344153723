/**
 * Recommended model folders that `squeeze models pull <name>` can download, as data.
 *
 * Checksums: the exact sha256 and byte size of the upstream files could not be read when this table
 * was written (no network), so `sha256` / `size` are optional and left out. The downloader then
 * verifies each file against the sha256 the server states for it (Hugging Face sends it as
 * `X-Linked-Etag` / `ETag` for LFS files) and always records the sha256 it computed in the folder's
 * manifest. Pin `revision` to a commit and fill in `sha256` to make a download fully reproducible.
 * `approxBytes` is only for display ("about 640 MB"), read from the hub's file listings.
 */
export type ModelRole = 'decoder' | 'encoder';

export interface CatalogFile {
  /** Path inside the repository, which is also the path inside the model folder. */
  readonly path: string;
  readonly sha256?: string;
  readonly size?: number;
  /** Skip without error when the server does not have it (404). */
  readonly optional?: boolean;
}

export interface CatalogEntry {
  /** The name users type: `squeeze models pull <name>`. */
  readonly name: string;
  readonly title: string;
  readonly role: ModelRole;
  /** Hugging Face repository id. */
  readonly repo: string;
  /** Branch, tag or commit to download from. */
  readonly revision: string;
  readonly files: readonly CatalogFile[];
  readonly approxBytes: number;
  readonly notes: string;
}

const TOKENIZER_FILES: readonly CatalogFile[] = [
  { path: 'config.json' },
  { path: 'tokenizer.json' },
  { path: 'tokenizer_config.json' },
];

const DECODER_META: readonly CatalogFile[] = [...TOKENIZER_FILES, { path: 'generation_config.json', optional: true }];

const MB = 1_000_000;

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  {
    name: 'qwen2.5-coder-0.5b',
    title: 'Qwen2.5-Coder 0.5B Instruct (ONNX, int8)',
    role: 'decoder',
    repo: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct',
    revision: 'main',
    files: [...DECODER_META, { path: 'onnx/model_quantized.onnx' }],
    approxBytes: 650 * MB,
    notes: 'Default completion model: FIM tokens, 32k context, fast enough on 2 CPU cores for short contexts.',
  },
  {
    name: 'qwen2.5-coder-1.5b',
    title: 'Qwen2.5-Coder 1.5B base (ONNX, int8)',
    role: 'decoder',
    repo: 'onnx-community/Qwen2.5-Coder-1.5B',
    revision: 'main',
    files: [...DECODER_META, { path: 'onnx/model_quantized.onnx' }],
    approxBytes: 1600 * MB,
    notes: 'Base model, best for fill-in-the-middle; needs about 3 GB of memory.',
  },
  {
    name: 'qwen2.5-coder-1.5b-instruct',
    title: 'Qwen2.5-Coder 1.5B Instruct (ONNX, int8)',
    role: 'decoder',
    repo: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct',
    revision: 'main',
    files: [...DECODER_META, { path: 'onnx/model_quantized.onnx' }],
    approxBytes: 1820 * MB,
    notes: 'For chat and "Ask about this repository"; also has the FIM tokens.',
  },
  {
    name: 'smollm2-135m',
    title: 'SmolLM2 135M Instruct (ONNX, fp32)',
    role: 'decoder',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    revision: 'main',
    files: [...DECODER_META, { path: 'onnx/model.onnx' }],
    approxBytes: 660 * MB,
    notes: 'For slow machines and smoke tests. No FIM tokens. The repository publishes fp32/fp16/q4 exports (no int8), so fp32 is used.',
  },
  {
    name: 'all-minilm-l6-v2',
    title: 'all-MiniLM-L6-v2 sentence encoder (ONNX, int8)',
    role: 'encoder',
    repo: 'Xenova/all-MiniLM-L6-v2',
    revision: 'main',
    files: [...TOKENIZER_FILES, { path: 'onnx/model_quantized.onnx' }],
    approxBytes: 24 * MB,
    notes: 'Retrieval encoder (384 dimensions, mean pooling); set squeeze.models.encoderPath to the folder.',
  },
];

export function findCatalogEntry(name: string): CatalogEntry | undefined {
  const key = name.trim().toLowerCase();
  return MODEL_CATALOG.find((e) => e.name === key);
}

/** `https://huggingface.co/<repo>/resolve/<revision>/<path>`, or the same layout under a mirror. */
export function catalogFileUrl(baseUrl: string, entry: CatalogEntry, filePath: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = filePath.split('/').map(encodeURIComponent).join('/');
  return `${base}/${entry.repo}/resolve/${encodeURIComponent(entry.revision)}/${path}`;
}

export const DEFAULT_MODEL_MIRROR = 'https://huggingface.co';

/** "640 MB", "1.6 GB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}
