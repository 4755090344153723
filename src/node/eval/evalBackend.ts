/**
 * The model behind `squeeze eval`'s generation metrics: an OpenAI-compatible server (`--endpoint URL`,
 * `--model NAME` picks the served model) or a local ONNX decoder (`--model DIR`), both as a `TextBackend`.
 */
import type { TextBackend } from '../../common/backend/backendTypes.ts';
import { OpenAiClient } from '../backend/openAiClient.ts';

export interface EvalBackend {
  readonly backend: TextBackend;
  /** What generated, for the summary: the endpoint (and model) or the model folder. */
  readonly label: string;
  dispose(): Promise<void>;
}

export interface EvalBackendSpec {
  readonly endpoint?: string;
  /** A served model's name with `endpoint`, a model folder without it. */
  readonly model?: string;
}

export async function openEvalBackend(spec: EvalBackendSpec): Promise<EvalBackend | undefined> {
  if (spec.endpoint !== undefined) {
    const client = new OpenAiClient({ endpoint: spec.endpoint, ...(spec.model ? { model: spec.model } : {}) });
    const label = spec.model ? `${client.endpoint} (${spec.model})` : client.endpoint;
    return { backend: client, label, dispose: async () => undefined };
  }
  if (spec.model === undefined) return undefined;
  const [{ OnnxDecoder }, { LocalBackend }] = await Promise.all([import('../generate/onnxDecoder.ts'), import('../generate/localBackend.ts')]);
  const decoder = await OnnxDecoder.load(spec.model, { provider: 'auto' });
  return { backend: new LocalBackend(decoder), label: spec.model, dispose: () => decoder.dispose() };
}
