import type { BackendRequest, CompletionResult, SamplingOptions, TokenUsage } from './backendTypes.ts';
import type { ServerProfile } from './serverProfiles.ts';
import { fimPromptText, fimStyleForModel } from '../generate/fimStyles.ts';

/** Pure request building and response reading for the OpenAI-compatible wire format. */

export interface WireRequest {
  readonly route: '/completions' | '/chat/completions';
  readonly body: Record<string, unknown>;
}

/** One parsed stream event or whole response: the text it adds and what else it says. */
export interface WirePiece {
  readonly text: string;
  readonly finishReason: string | null;
  readonly model?: string;
  readonly usage?: TokenUsage;
  /** An `{ error }` object sent in place of a completion (vLLM and llama.cpp do this mid-stream). */
  readonly error?: string;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Builds the route and JSON body; throws ProtocolError when a FIM prompt cannot be formatted. */
export function buildWireRequest(req: BackendRequest, profile: ServerProfile, model: string | undefined, stream: boolean): WireRequest {
  const sampling = samplingFields(req.options, model, stream);
  if (req.kind === 'chat') {
    return { route: '/chat/completions', body: { ...sampling, messages: req.messages.map((m) => ({ role: m.role, content: m.content })) } };
  }
  if (req.kind === 'raw') return { route: '/completions', body: { ...sampling, prompt: req.prompt } };
  if (profile.supportsSuffix) return { route: '/completions', body: { ...sampling, prompt: req.prefix, suffix: req.suffix } };
  const format = req.fimFormat ?? (model ? fimStyleForModel(model) : undefined);
  if (!format) {
    throw new ProtocolError(
      `${profile.label} has no server-side fill-in-the-middle, and the FIM tokens of model "${model ?? '(unnamed)'}" are unknown; ` +
        'use a Qwen2.5-Coder, StarCoder, DeepSeek-Coder, CodeLlama or CodeGemma model, or pass a FIM format',
    );
  }
  const stop = [...(req.options?.stop ?? []), ...format.serverStops];
  return { route: '/completions', body: { ...sampling, stop: [...new Set(stop)], prompt: fimPromptText(format, req.prefix, req.suffix) } };
}

function samplingFields(o: SamplingOptions | undefined, model: string | undefined, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { stream };
  if (model !== undefined) body.model = model;
  if (o?.maxTokens !== undefined) body.max_tokens = o.maxTokens;
  if (o?.temperature !== undefined) body.temperature = o.temperature;
  if (o?.topP !== undefined) body.top_p = o.topP;
  if (o?.stop !== undefined && o.stop.length > 0) body.stop = [...o.stop];
  return body;
}

/**
 * Reads one streamed chunk (`choices[0].text` for completions, `choices[0].delta.content` for chat) or a
 * whole response (`choices[0].message.content`). Throws ProtocolError when the shape is not recognisable.
 */
export function readWirePiece(json: unknown): WirePiece {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ProtocolError('expected a JSON object');
  const o = json as Record<string, unknown>;
  if (o.error !== undefined && o.error !== null) return { text: '', finishReason: null, error: errorText(o.error) ?? 'unknown error' };
  const choices = o.choices;
  if (!Array.isArray(choices)) throw new ProtocolError('no "choices" array');
  const first = choices[0] as Record<string, unknown> | undefined;
  const text = first ? choiceText(first) : '';
  const finish = first && typeof first.finish_reason === 'string' ? first.finish_reason : null;
  const base: WirePiece = { text, finishReason: finish };
  const model = typeof o.model === 'string' ? o.model : undefined;
  const usage = readUsage(o.usage);
  return { ...base, ...(model !== undefined ? { model } : {}), ...(usage ? { usage } : {}) };
}

function choiceText(choice: Record<string, unknown>): string {
  if (typeof choice.text === 'string') return choice.text;
  for (const key of ['delta', 'message']) {
    const m = choice[key] as Record<string, unknown> | undefined;
    if (m && typeof m.content === 'string') return m.content;
  }
  return '';
}

function readUsage(u: unknown): TokenUsage | undefined {
  if (typeof u !== 'object' || u === null) return undefined;
  const r = u as Record<string, unknown>;
  const usage: { promptTokens?: number; completionTokens?: number } = {};
  if (typeof r.prompt_tokens === 'number') usage.promptTokens = r.prompt_tokens;
  if (typeof r.completion_tokens === 'number') usage.completionTokens = r.completion_tokens;
  return usage;
}

/** The message in an error body: OpenAI/llama.cpp `{error:{message}}`, Ollama `{error:"..."}`, vLLM `{message}`, FastAPI `{detail}`. */
export function readErrorBody(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const plain = text.trim().replace(/\s+/g, ' ');
    return plain ? truncate(plain, 200) : undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  const msg = errorText(o.error) ?? errorText(o.message) ?? errorText(o.detail);
  return msg === undefined ? undefined : truncate(msg, 500);
}

function errorText(e: unknown): string | undefined {
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return undefined;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)}…`;
}

/** Folds pieces into the final result. */
export function finishResult(text: string, last: Partial<WirePiece>): CompletionResult {
  return {
    text,
    finishReason: last.finishReason ?? null,
    ...(last.model !== undefined ? { model: last.model } : {}),
    ...(last.usage !== undefined ? { usage: last.usage } : {}),
  };
}
