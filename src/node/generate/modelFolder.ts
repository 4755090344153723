import fs from 'node:fs/promises';
import path from 'node:path';
import { detectFimStyle } from '../../common/generate/fimStyles.ts';
import type { FimStyle } from '../../common/generate/fimStyles.ts';
import { ConfigFieldError, parseDecoderConfig } from '../../common/generate/modelConfig.ts';
import type { DecoderConfig } from '../../common/generate/modelConfig.ts';
import { ModelTokenizer } from './modelTokenizer.ts';

/** ONNX file per precision, as transformers.js / Optimum exports name them. */
export const ONNX_FILES = { q8: 'model_quantized.onnx', fp32: 'model.onnx', fp16: 'model_fp16.onnx', q4: 'model_q4.onnx' } as const;
export type Precision = keyof typeof ONNX_FILES;
/** `auto` takes q8 when present (fastest on CPU), else fp32. */
export type PrecisionSetting = 'auto' | Precision;

export interface FimTokens {
  readonly style: FimStyle;
  /** Ids that end an infill (the style's stop tokens present in this vocabulary). */
  readonly stopIds: readonly number[];
}

export interface ModelFolder {
  readonly dir: string;
  readonly onnxFile: string;
  readonly precision: Precision;
  readonly config: DecoderConfig;
  readonly tokenizer: ModelTokenizer;
  /** config + generation_config + tokenizer_config eos, deduplicated. */
  readonly eosTokenIds: readonly number[];
  readonly fim: FimTokens | undefined;
}

/** A missing or malformed file of a model folder; `file` is relative to the folder (e.g. `config.json`). */
export class ModelFolderError extends Error {
  readonly file: string;
  readonly dir: string;
  constructor(dir: string, file: string, message: string) {
    super(`${path.join(dir, file)}: ${message}`);
    this.name = 'ModelFolderError';
    this.dir = dir;
    this.file = file;
  }
}

async function readJson(dir: string, file: string, optional = false): Promise<object | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, file), 'utf8');
  } catch (e) {
    if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelFolderError(dir, file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${String(e)})`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v;
  } catch (e) {
    throw new ModelFolderError(dir, file, `is not valid JSON (${(e as Error).message})`);
  }
}

async function findOnnx(dir: string, setting: PrecisionSetting): Promise<{ file: string; precision: Precision }> {
  const order: Precision[] = setting === 'auto' ? ['q8', 'fp32'] : [setting];
  for (const precision of order) {
    const file = path.join('onnx', ONNX_FILES[precision]);
    const stat = await fs.stat(path.join(dir, file)).catch(() => undefined);
    if (stat?.isFile() && stat.size > 0) return { file, precision };
    if (stat?.isFile()) throw new ModelFolderError(dir, file, 'is empty');
  }
  const wanted = order.map((p) => `onnx/${ONNX_FILES[p]}`).join(' or ');
  throw new ModelFolderError(dir, order.length === 1 ? `onnx/${ONNX_FILES[order[0]!]}` : 'onnx/', `missing: expected ${wanted}`);
}

function tokenName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

function loadTokenizer(dir: string, json: object, config: object, vocabSize: number): ModelTokenizer {
  let tok: ModelTokenizer;
  try {
    tok = new ModelTokenizer(json, config);
  } catch (e) {
    throw new ModelFolderError(dir, 'tokenizer.json', `cannot be loaded (${(e as Error).message})`);
  }
  if (tok.size > vocabSize) {
    throw new ModelFolderError(dir, 'tokenizer.json', `has ${tok.size} tokens but config.json vocab_size is ${vocabSize}: tokenizer and model do not match`);
  }
  return tok;
}

function resolveFim(tok: ModelTokenizer): FimTokens | undefined {
  const style = detectFimStyle((t) => tok.hasToken(t));
  if (!style) return undefined;
  const stopIds = style.stops.map((s) => tok.tokenId(s)).filter((id): id is number => id !== undefined);
  return { style, stopIds };
}

/** Reads and validates a decoder model folder; every problem is a ModelFolderError naming the file. */
export async function loadModelFolder(dir: string, o: { precision?: PrecisionSetting } = {}): Promise<ModelFolder> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ModelFolderError(dir, '', 'model folder not found');
  const rawConfig = await readJson(dir, 'config.json');
  const generation = await readJson(dir, 'generation_config.json', true);
  let config: DecoderConfig;
  try {
    config = parseDecoderConfig(rawConfig, generation);
  } catch (e) {
    if (!(e instanceof ConfigFieldError)) throw e;
    const file = e.field.startsWith('generation_config') ? 'generation_config.json' : 'config.json';
    throw new ModelFolderError(dir, file, e.message);
  }
  const tokConfig = (await readJson(dir, 'tokenizer_config.json'))!;
  const tokenizer = loadTokenizer(dir, (await readJson(dir, 'tokenizer.json'))!, tokConfig, config.vocabSize);
  const { file, precision } = await findOnnx(dir, o.precision ?? 'auto');
  const eosName = tokenName((tokConfig as Record<string, unknown>)['eos_token']);
  const eosFromTokenizer = eosName === undefined ? undefined : tokenizer.tokenId(eosName);
  const eosTokenIds = [...new Set([...config.eosTokenIds, ...(eosFromTokenizer === undefined ? [] : [eosFromTokenizer])])];
  return { dir, onnxFile: path.join(dir, file), precision, config, tokenizer, eosTokenIds, fim: resolveFim(tokenizer) };
}
