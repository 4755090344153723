import type { CancellationToken } from '../../common/cancellation.ts';
import type { BackendRequest, CompletionResult, StreamCall, TextBackend } from '../../common/backend/backendTypes.ts';
import { chatPrompt } from '../../common/generate/chatFormat.ts';
import type { GenerateOptions, GenerateStats } from '../../common/generate/generateTypes.ts';
import type { OnnxDecoder } from './onnxDecoder.ts';

/** Default reply length when a request sets none. */
const DEFAULT_MAX_TOKENS = 256;

/**
 * The local ONNX decoder behind the same `TextBackend` interface as the HTTP client, so surfaces do not care
 * which one runs. FIM requests use the model's own FIM tokens (a request's `fimFormat` is for HTTP servers);
 * chat requests use ChatML when the tokenizer has it. `lastStats` keeps the timing of the last request.
 */
export class LocalBackend implements TextBackend {
  readonly decoder: OnnxDecoder;
  lastStats: GenerateStats | undefined;

  constructor(decoder: OnnxDecoder) {
    this.decoder = decoder;
  }

  complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult> {
    return this.stream(request, { onText: () => undefined, ...(token ? { token } : {}) });
  }

  async stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult> {
    const { ids, stop, stopTokenIds } = this.prompt(request);
    const o = request.options;
    const options: GenerateOptions = {
      maxTokens: o?.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: o?.temperature ?? 0,
      topP: o?.topP ?? 1,
      stop: [...(o?.stop ?? []), ...stop],
      stopTokenIds,
      onToken: (e) => e.text && call.onText(e.text),
    };
    const r = await this.decoder.generate({ ids }, options, call.token);
    this.lastStats = r.stats;
    return {
      text: r.text,
      finishReason: r.finishReason === 'length' ? 'length' : 'stop',
      model: this.decoder.folder.dir,
      usage: { promptTokens: r.stats.promptTokens, completionTokens: r.tokenIds.length },
    };
  }

  private prompt(request: BackendRequest): { ids: number[]; stop: string[]; stopTokenIds: number[] } {
    const tok = this.decoder.folder.tokenizer;
    if (request.kind === 'raw') return { ids: this.decoder.encodePrompt(request.prompt), stop: [], stopTokenIds: [] };
    if (request.kind === 'fim') {
      const fim = this.decoder.folder.fim;
      return { ids: this.decoder.encodeFim(request.prefix, request.suffix), stop: [], stopTokenIds: [...(fim?.stopIds ?? [])] };
    }
    const chat = chatPrompt(request.messages, (t) => tok.hasToken(t));
    const stopTokenIds = chat.stopTokens.map((t) => tok.tokenId(t)).filter((id): id is number => id !== undefined);
    return { ids: tok.encodePieces(chat.pieces), stop: chat.stop, stopTokenIds };
  }
}
