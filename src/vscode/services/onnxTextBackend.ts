import type { CancellationToken } from '../../common/cancellation.ts';
import type { BackendRequest, ChatMessage, CompletionResult, StreamCall, TextBackend } from '../../common/backend/backendTypes.ts';
import type { GenerateOptions } from '../../common/generate/generateTypes.ts';
import type { PromptPiece } from '../../common/generate/fimStyles.ts';
import type { OnnxDecoder } from '../../node/generate/onnxDecoder.ts';

const CHATML_START = '<|im_start|>';
const CHATML_END = '<|im_end|>';
const DEFAULT_MAX_TOKENS = 128;

/**
 * Serves the surfaces' `TextBackend` requests with the local ONNX decoder: FIM through the model's own
 * FIM tokens, chat through ChatML when the vocabulary has it (Qwen, SmolLM2) or a plain transcript.
 * Prompts longer than the model's context lose text from the far end of the prefix first.
 */
export class OnnxTextBackend implements TextBackend {
  private readonly decoder: OnnxDecoder;

  constructor(decoder: OnnxDecoder) {
    this.decoder = decoder;
  }

  complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult> {
    return this.run(request, undefined, token);
  }

  stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult> {
    return this.run(request, call.onText, call.token);
  }

  private async run(request: BackendRequest, onText: ((t: string) => void) | undefined, token: CancellationToken | undefined): Promise<CompletionResult> {
    const o = request.options;
    const maxTokens = o?.maxTokens ?? DEFAULT_MAX_TOKENS;
    const options: GenerateOptions = {
      maxTokens,
      temperature: o?.temperature ?? 0,
      ...(o?.topP !== undefined ? { topP: o.topP } : {}),
      ...(o?.stop ? { stop: o.stop } : {}),
      ...(onText ? { onToken: (e) => e.text && onText(e.text) } : {}),
    };
    const limit = this.decoder.folder.config.contextLength - maxTokens - 1;
    const { ids, stopTokenIds } = this.encode(request, limit);
    const result = await this.decoder.generate({ ids }, { ...options, stopTokenIds }, token);
    const finishReason = result.finishReason === 'length' ? 'length' : 'stop';
    return { text: result.text, finishReason, model: this.decoder.folder.dir, usage: { promptTokens: ids.length, completionTokens: result.tokenIds.length } };
  }

  private encode(request: BackendRequest, limit: number): { ids: number[]; stopTokenIds: number[] } {
    const folder = this.decoder.folder;
    if (request.kind === 'fim') {
      const stopTokenIds = [...(folder.fim?.stopIds ?? [])];
      return { ids: fitPrefix(request.prefix, limit, (p) => this.decoder.encodeFim(p, request.suffix)), stopTokenIds };
    }
    if (request.kind === 'raw') return { ids: fitPrefix(request.prompt, limit, (p) => this.decoder.encode(p)), stopTokenIds: [] };
    const end = folder.tokenizer.tokenId(CHATML_END);
    if (folder.tokenizer.hasToken(CHATML_START) && end !== undefined) {
      return { ids: this.fitChat(request.messages, limit, (m) => folder.tokenizer.encodePieces(chatMlPieces(m))), stopTokenIds: [end] };
    }
    return { ids: this.fitChat(request.messages, limit, (m) => this.decoder.encode(plainTranscript(m))), stopTokenIds: [] };
  }

  /** Shortens the longest message (the context) from its start until the prompt fits. */
  private fitChat(messages: readonly ChatMessage[], limit: number, encode: (m: readonly ChatMessage[]) => number[]): number[] {
    const longest = messages.reduce((best, m, i) => (m.content.length > (messages[best]?.content.length ?? 0) ? i : best), 0);
    return fitPrefix(messages[longest]?.content ?? '', limit, (text) => encode(messages.map((m, i) => (i === longest ? { ...m, content: text } : m))));
  }
}

/** Encodes, dropping text from the start of `text` until the ids fit in `limit` (a few rounds at most). */
function fitPrefix(text: string, limit: number, encode: (text: string) => number[]): number[] {
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

function chatMlPieces(messages: readonly ChatMessage[]): PromptPiece[] {
  const pieces: PromptPiece[] = [];
  for (const m of messages) pieces.push({ special: CHATML_START }, { text: `${m.role}\n${m.content}` }, { special: CHATML_END }, { text: '\n' });
  pieces.push({ special: CHATML_START }, { text: 'assistant\n' });
  return pieces;
}

function plainTranscript(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `${m.role === 'user' ? 'User' : m.role === 'assistant' ? 'Assistant' : 'System'}: ${m.content}`).join('\n\n')}\n\nAssistant:`;
}
