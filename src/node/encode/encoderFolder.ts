import fs from 'node:fs/promises';
import path from 'node:path';
import { ModelFolderError, ONNX_FILES } from '../generate/modelFolder.ts';

export type EncoderPrecision = 'fp32' | 'q8';
/** `auto` takes q8 when the folder has it (fastest on CPU), else fp32. */
export type EncoderPrecisionSetting = 'auto' | EncoderPrecision;

/** Most tokens when neither config.json nor tokenizer_config.json gives a limit (BERT's trained length). */
export const DEFAULT_MAX_TOKENS = 512;
/** tokenizer_config.json writes "no limit" as a huge model_max_length (1e30): ignore such values. */
const SANE_MAX_LENGTH = 1_000_000;

/** What a sentence-encoder folder holds, as plain data (it is sent to the worker as is). */
export interface EncoderFolder {
  readonly dir: string;
  readonly onnxFile: string;
  readonly precision: EncoderPrecision;
  readonly tokenizerFile: string;
  /** Undefined when the folder has no tokenizer_config.json (it is optional for encoders). */
  readonly tokenizerConfigFile: string | undefined;
  /** Tokens per text, special tokens included: the least of the model's positions and `maxTokens`. */
  readonly maxTokens: number;
  /** config.json `hidden_size`, when given: checked against the graph's output. */
  readonly hiddenSize: number | undefined;
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined))?.isFile() === true;
}

async function readJsonObject(dir: string, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, file), 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModelFolderError(dir, file, missing ? 'missing' : `cannot be read (${String(e)})`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ModelFolderError(dir, file, `is not valid JSON (${(e as Error).message})`);
  }
}

async function findOnnx(dir: string, setting: EncoderPrecisionSetting): Promise<{ file: string; precision: EncoderPrecision }> {
  const order: EncoderPrecision[] = setting === 'auto' ? ['q8', 'fp32'] : [setting];
  for (const precision of order) {
    const rel = path.join('onnx', ONNX_FILES[precision]);
    const stat = await fs.stat(path.join(dir, rel)).catch(() => undefined);
    if (stat?.isFile() && stat.size > 0) return { file: path.join(dir, rel), precision };
    if (stat?.isFile()) throw new ModelFolderError(dir, rel, 'is empty');
  }
  const wanted = order.map((p) => `onnx/${ONNX_FILES[p]}`).join(' or ');
  throw new ModelFolderError(dir, order.length === 1 ? `onnx/${ONNX_FILES[order[0]!]}` : 'onnx/', `missing: expected ${wanted}`);
}

const positiveInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** The least of config.json's positions, tokenizer_config.json's model_max_length and the caller's limit. */
function maxTokensOf(config: Record<string, unknown>, tokConfig: Record<string, unknown> | undefined, requested: number | undefined): number {
  const fromTokenizer = positiveInt(tokConfig?.['model_max_length']);
  const limits = [positiveInt(config['max_position_embeddings']), fromTokenizer !== undefined && fromTokenizer < SANE_MAX_LENGTH ? fromTokenizer : undefined, requested];
  const known = limits.filter((x): x is number => x !== undefined);
  return known.length ? Math.min(...known) : DEFAULT_MAX_TOKENS;
}

/**
 * Checks a sentence-encoder folder (BERT family export layout) and says which files to load. Every
 * problem is a ModelFolderError naming the path: missing folder, config.json, tokenizer.json or ONNX file.
 */
export async function inspectEncoderFolder(dir: string, o: { precision?: EncoderPrecisionSetting; maxTokens?: number } = {}): Promise<EncoderFolder> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ModelFolderError(dir, '', 'encoder model folder not found');
  const tokenizerFile = path.join(dir, 'tokenizer.json');
  if (!(await isFile(tokenizerFile))) throw new ModelFolderError(dir, 'tokenizer.json', 'missing: an encoder folder needs the tokenizer of its model');
  const config = await readJsonObject(dir, 'config.json');
  const tokenizerConfigFile = (await isFile(path.join(dir, 'tokenizer_config.json'))) ? path.join(dir, 'tokenizer_config.json') : undefined;
  const tokConfig = tokenizerConfigFile ? await readJsonObject(dir, 'tokenizer_config.json') : undefined;
  if (o.maxTokens !== undefined && !(Number.isInteger(o.maxTokens) && o.maxTokens >= 2)) throw new Error(`maxTokens must be an integer >= 2, got ${o.maxTokens}`);
  const { file, precision } = await findOnnx(dir, o.precision ?? 'auto');
  return {
    dir, onnxFile: file, precision, tokenizerFile, tokenizerConfigFile,
    maxTokens: maxTokensOf(config, tokConfig, o.maxTokens), hiddenSize: positiveInt(config['hidden_size']),
  };
}
