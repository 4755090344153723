import type { CancellationToken } from '../cancellation.ts';
import type { FimFormat } from './fimFormats.ts';

/** Shared request and result shapes of every text-generation backend (HTTP or local ONNX). */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

export interface SamplingOptions {
  /** Server-side model name; when absent the backend uses its configured or first listed model. */
  readonly model?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
}

export interface RawRequest {
  readonly kind: 'raw';
  readonly prompt: string;
  readonly options?: SamplingOptions;
}

export interface FimRequest {
  readonly kind: 'fim';
  readonly prefix: string;
  readonly suffix: string;
  /** The model's fill-in-the-middle tokens; guessed from the model name when absent. */
  readonly fimFormat?: FimFormat;
  readonly options?: SamplingOptions;
}

export interface ChatRequest {
  readonly kind: 'chat';
  readonly messages: readonly ChatMessage[];
  readonly options?: SamplingOptions;
}

export type BackendRequest = RawRequest | FimRequest | ChatRequest;

export interface TokenUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

export interface CompletionResult {
  readonly text: string;
  /** As the server reports it (`stop`, `length`, ...); null when it sent none. */
  readonly finishReason: string | null;
  readonly model?: string;
  readonly usage?: TokenUsage;
}

export interface StreamCall {
  /** Receives each text piece as it arrives. */
  readonly onText: (delta: string) => void;
  readonly token?: CancellationToken;
}

/** What the surfaces need from a generator; implemented by the HTTP client and the local decoder. */
export interface TextBackend {
  /** Non-streaming: resolves with the whole text. */
  complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult>;
  /** Streaming: calls `onText` per piece and resolves with the whole text at the end. */
  stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult>;
}
