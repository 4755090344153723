import type { CompletionResult } from './backendTypes.ts';
import { BackendError } from './backendErrors.ts';
import { SseParser } from './sseParser.ts';
import type { SseEvent } from './sseParser.ts';
import { finishResult, ProtocolError, readWirePiece } from './openAiProtocol.ts';
import type { WirePiece } from './openAiProtocol.ts';

/**
 * Turns the bytes of an OpenAI-compatible event stream into text pieces and a final result. Pure:
 * the transport feeds it chunks. Errors carry the text received so far.
 *
 * The stream is complete at `data: [DONE]`. A stream that ends without it is still accepted when the
 * last chunk carried a `finish_reason` (some servers omit `[DONE]`); otherwise it is STREAM_INCOMPLETE.
 */
export class CompletionStreamReader {
  private readonly parser = new SseParser();
  private readonly url: string;
  private received = '';
  private last: Partial<WirePiece> = {};
  private sawDone = false;

  constructor(url: string) {
    this.url = url;
  }

  /** True once `[DONE]` arrived; later bytes are ignored. */
  get done(): boolean {
    return this.sawDone;
  }

  get text(): string {
    return this.received;
  }

  /** Parses a chunk; returns the text pieces it completed, in order. */
  push(chunk: Uint8Array | string): string[] {
    return this.handle(this.parser.push(chunk));
  }

  /** Call at the end of input: returns the result, or throws if the stream was cut short. */
  finish(): CompletionResult {
    if (!this.sawDone) this.handle(this.parser.end());
    if (!this.sawDone && this.last.finishReason == null) {
      throw new BackendError('STREAM_INCOMPLETE', { url: this.url, detail: 'it closed without [DONE]', partialText: this.received });
    }
    return finishResult(this.received, this.last);
  }

  private handle(events: readonly SseEvent[]): string[] {
    const pieces: string[] = [];
    for (const ev of events) {
      if (this.sawDone) break;
      if (ev.data.trim() === '[DONE]') {
        this.sawDone = true;
        break;
      }
      const piece = this.parse(ev.data);
      if (piece.error !== undefined) {
        throw new BackendError('SERVER_ERROR', { url: this.url, detail: piece.error, partialText: this.received });
      }
      if (piece.text) {
        this.received += piece.text;
        pieces.push(piece.text);
      }
      this.last = { finishReason: piece.finishReason ?? this.last.finishReason ?? null, model: piece.model ?? this.last.model, usage: piece.usage ?? this.last.usage };
    }
    return pieces;
  }

  private parse(data: string): WirePiece {
    try {
      return readWirePiece(JSON.parse(data));
    } catch (e) {
      const why = e instanceof ProtocolError ? e.message : 'invalid JSON';
      const snippet = data.length > 80 ? `${data.slice(0, 80)}…` : data;
      throw new BackendError('MALFORMED_RESPONSE', { url: this.url, detail: `${why} in stream event ${JSON.stringify(snippet)}`, partialText: this.received }, { cause: e });
    }
  }
}
