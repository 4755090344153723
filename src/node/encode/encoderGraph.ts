import type { InferenceSession } from 'onnxruntime-node';

/** The sentence-encoder I/O contract (Optimum / transformers.js `feature-extraction` exports). */
export const ENCODER_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
export const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;
export const ENCODER_OUTPUT = 'last_hidden_state';

export interface EncoderGraph {
  /** Whether the graph takes `token_type_ids` (BERT does, DistilBERT-style exports do not). */
  readonly hasTokenTypes: boolean;
  /** Vector dimension: the last axis of `last_hidden_state`. */
  readonly dim: number;
}

/** The ONNX file loads but is not a sentence encoder (a decoder, a classifier head, another layout). */
export class EncoderGraphError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'EncoderGraphError';
    this.file = file;
  }
}

type Meta = Pick<InferenceSession, 'inputNames' | 'outputNames' | 'outputMetadata'>;

function outputDim(session: Meta): number | undefined {
  const meta = session.outputMetadata.find((m) => m.name === ENCODER_OUTPUT);
  if (!meta || !meta.isTensor) return undefined;
  const last = meta.shape[meta.shape.length - 1];
  return meta.shape.length === 3 && typeof last === 'number' ? last : undefined;
}

/**
 * Checks that a session has the encoder I/O: inputs `input_ids`, `attention_mask` and optionally
 * `token_type_ids` (nothing else: a decoder's `past_key_values.*` cannot be fed), output
 * `last_hidden_state` shaped `[batch, sequence, hidden]`. `hiddenSize` (config.json) must agree.
 */
export function checkEncoderGraph(file: string, session: Meta, hiddenSize: number | undefined): EncoderGraph {
  const known = new Set<string>(ENCODER_INPUTS);
  const unknown = session.inputNames.filter((n) => !known.has(n));
  const missing = REQUIRED_INPUTS.filter((n) => !session.inputNames.includes(n));
  const expected = `expected inputs input_ids, attention_mask[, token_type_ids] and output ${ENCODER_OUTPUT}`;
  const has = `has inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]`;
  if (unknown.length || missing.length || !session.outputNames.includes(ENCODER_OUTPUT)) {
    throw new EncoderGraphError(file, `not a sentence-encoder graph: it ${has}; ${expected}`);
  }
  const dim = outputDim(session) ?? hiddenSize;
  if (dim === undefined) throw new EncoderGraphError(file, `${ENCODER_OUTPUT} has no fixed hidden size and config.json gives no hidden_size`);
  if (hiddenSize !== undefined && dim !== hiddenSize) {
    throw new EncoderGraphError(file, `${ENCODER_OUTPUT} has hidden size ${dim} but config.json says hidden_size ${hiddenSize}: graph and folder do not match`);
  }
  return { hasTokenTypes: session.inputNames.includes('token_type_ids'), dim };
}
