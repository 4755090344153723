import type { BackendRequest, ChatMessage, CompletionResult, FimContext, PromptRun, StreamCall, TextBackend } from '../../common/backend/backendTypes.ts';
import { fimContextPrefix } from '../../common/backend/fimContext.ts';
import { CachedTokenizer } from '../../common/assemble/cachedTokenizer.ts';
import type { CancellationToken } from '../../common/cancellation.ts';
import { chatPrompt } from '../../common/generate/chatFormat.ts';
import { fimSegments } from '../../common/generate/fimSegments.ts';
import type { GenerateOptions, GenerateRequest, GenerateStats } from '../../common/generate/generateTypes.ts';
import { assignPositions } from '../../common/positions/assignPositions.ts';
import { planRequest } from '../../common/positions/planRequest.ts';
import { PositionOverflowError, type PositionPlan, type PositionPolicy } from '../../common/positions/positionTypes.ts';
import type { OnnxDecoder } from './onnxDecoder.ts';

/** Default reply length when a request sets none. */
const DEFAULT_MAX_TOKENS = 256;

/** With `windowFirst`, the window starts at the chunk base plus the longest chunk rounded up to this, so it stays put. */
const WINDOW_FIRST_SPAN_STEP = 128;

export interface LocalBackendOptions {
  /** Position policy of FIM prompts (default `auto`: `choosePolicy`, preferring `parallel` when the chunk cache is usable). */
  readonly policy?: PositionPolicy | 'auto';
  /**
   * Under `parallel`, put the cursor window before the chunks in the sequence (`planRequest`'s `windowFirst`): it is
   * then reused across keystrokes when the chunks change, but no longer reads them. Its position then leaves room for
   * the longest chunk rounded up to 128 tokens, so it stays put while chunks change. Off by default: its effect on
   * completion quality is not measured.
   */
  readonly windowFirst?: boolean;
}

interface Prepared {
  readonly request: GenerateRequest;
  readonly plan: PositionPlan | undefined;
  readonly stop: readonly string[];
  readonly stopTokenIds: readonly number[];
}

/**
 * The local ONNX decoder behind the same `TextBackend` interface as the HTTP client (extension, CLI and eval).
 * FIM requests use the model's own FIM tokens (a request's `fimFormat` is for HTTP servers): their retrieved
 * pieces are tokenized apart and positioned by `assignPositions`, so under `parallel` each piece's KV comes from
 * the decoder's chunk cache. A FIM prompt no policy can place, and raw and chat prompts too long for the model,
 * lose text from the far end of the prompt (or of the longest message). `lastStats` keeps the timing of the last request.
 */
export class LocalBackend implements TextBackend {
  readonly decoder: OnnxDecoder;
  readonly policy: PositionPolicy | 'auto';
  readonly windowFirst: boolean;
  lastStats: GenerateStats | undefined;
  private readonly tokens: CachedTokenizer;

  constructor(decoder: OnnxDecoder, o: LocalBackendOptions = {}) {
    this.decoder = decoder;
    this.policy = o.policy ?? 'auto';
    this.windowFirst = o.windowFirst ?? false;
    this.tokens = new CachedTokenizer(decoder.folder.tokenizer, 1024);
  }

  complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult> {
    return this.stream(request, { onText: () => undefined, ...(token ? { token } : {}) });
  }

  async stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult> {
    const o = request.options;
    const maxTokens = o?.maxTokens ?? DEFAULT_MAX_TOKENS;
    const p = this.prepare(request, maxTokens);
    const options: GenerateOptions = {
      maxTokens,
      temperature: o?.temperature ?? 0,
      topP: o?.topP ?? 1,
      stop: [...(o?.stop ?? []), ...p.stop],
      stopTokenIds: p.stopTokenIds,
      onToken: (e) => e.text && call.onText(e.text),
    };
    const r = await this.decoder.generate(p.request, options, call.token);
    this.lastStats = r.stats;
    return {
      text: r.text,
      finishReason: r.finishReason === 'length' ? 'length' : 'stop',
      model: this.decoder.folder.dir,
      usage: { promptTokens: r.stats.promptTokens, completionTokens: r.tokenIds.length },
      prompt: promptRun(r.stats, p),
    };
  }

  private prepare(request: BackendRequest, maxTokens: number): Prepared {
    const limit = this.decoder.folder.config.contextLength - maxTokens - 1;
    if (request.kind === 'fim') return this.prepareFim(request.prefix, request.suffix, request.context, maxTokens);
    if (request.kind === 'raw') return { request: { ids: fitText(request.prompt, limit, (t) => this.decoder.encodePrompt(t)) }, plan: undefined, stop: [], stopTokenIds: [] };
    const tok = this.decoder.folder.tokenizer;
    const has = (t: string): boolean => tok.hasToken(t);
    const chat = chatPrompt(request.messages, has);
    const ids = fitChat(request.messages, limit, (m) => tok.encodePieces(chatPrompt(m, has).pieces));
    const stopTokenIds = chat.stopTokens.map((t) => tok.tokenId(t)).filter((id): id is number => id !== undefined);
    return { request: { ids }, plan: undefined, stop: chat.stop, stopTokenIds };
  }

  private prepareFim(prefix: string, suffix: string, context: FimContext | undefined, maxTokens: number): Prepared {
    if (context && fimContextPrefix(context) !== prefix) throw new Error('FIM request: the prefix is not the concatenation of its context pieces');
    const folder = this.decoder.folder;
    const segments = fimSegments(
      { context: context ?? { lead: '', pieces: [], local: prefix }, suffix, style: folder.fim?.style, bosId: folder.tokenizer.bosId },
      this.tokens,
    );
    const stopTokenIds = [...(folder.fim?.stopIds ?? [])];
    const contextLength = folder.config.contextLength;
    try {
      const plan = assignPositions(segments, {
        policy: this.policy, contextLength, reserve: maxTokens + 1, preferParallel: this.decoder.chunkCacheUsable,
        ...(this.windowFirst ? { spanStep: WINDOW_FIRST_SPAN_STEP } : {}),
      });
      return { request: planRequest(plan, { windowFirst: this.windowFirst }), plan, stop: [], stopTokenIds };
    } catch (e) {
      if (!(e instanceof PositionOverflowError)) throw e;
      const ids = fitText(prefix, contextLength - maxTokens - 1, (t) => this.decoder.encodeFim(t, suffix));
      return { request: { ids }, plan: undefined, stop: [], stopTokenIds };
    }
  }
}

function promptRun(s: GenerateStats, p: Prepared): PromptRun {
  const segments = p.plan
    ? p.plan.segments.map((g) => ({ kind: g.kind, tokens: g.ids.length, first: g.positions[0] ?? 0, last: g.positions.at(-1) ?? 0 }))
    : [{ kind: 'prompt', tokens: p.request.ids.length, first: 0, last: p.request.ids.length - 1 }];
  return {
    policy: p.plan?.policy ?? 'sequential', promptTokens: s.promptTokens, prefillTokens: s.prefillTokens,
    reusedTokens: s.reusedTokens, chunkCacheTokens: s.chunkCacheTokens ?? 0, segments,
  };
}

/** Encodes, dropping text from the start of `text` until the ids fit in `limit` (a few rounds at most). */
export function fitText(text: string, limit: number, encode: (text: string) => number[]): number[] {
  let t = text;
  for (let round = 0; round < 8; round++) {
    const ids = encode(t);
    if (ids.length <= limit || t.length === 0) return ids;
    const keep = Math.floor(t.length * Math.max(0.1, (limit / ids.length) * 0.9));
    t = t.slice(t.length - keep);
    const nl = t.indexOf('\n');
    if (nl >= 0 && nl < 200) t = t.slice(nl + 1);
  }
  return encode(t);
}

/** Shortens the longest message (the context) from its start until the prompt fits. */
function fitChat(messages: readonly ChatMessage[], limit: number, encode: (m: readonly ChatMessage[]) => number[]): number[] {
  const longest = messages.reduce((best, m, i) => (m.content.length > (messages[best]?.content.length ?? 0) ? i : best), 0);
  return fitText(messages[longest]?.content ?? '', limit, (text) => encode(messages.map((m, i) => (i === longest ? { ...m, content: text } : m))));
}
