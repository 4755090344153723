import * as vscode from 'vscode';
import type { PromptRun } from '../../common/backend/backendTypes.ts';
import type { ContextReport } from '../../common/protocol/contextReport.ts';

/** What the last model request saw and how it went: "Show Context of Last Request" renders it. */
export interface RequestRecord {
  readonly report: ContextReport;
  /** The backend that served it (`http qwen2.5-coder`, `onnx cpu`, ...). */
  readonly backend: string;
  /** The prompt as sent, shortened for display. */
  readonly promptPreview: string;
  readonly promptChars: number;
  latencyMs?: number;
  outcome?: string;
  /** How the local decoder positioned and ran the prompt (absent for HTTP servers). */
  prompt?: PromptRun;
}

export class LastRequestStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RequestRecord>();
  private record: RequestRecord | undefined;
  readonly onDidChange = this.emitter.event;

  get last(): RequestRecord | undefined {
    return this.record;
  }

  set(record: RequestRecord): void {
    this.record = record;
    this.emitter.fire(record);
  }

  /** Completes the record in place once the request finished. */
  finish(record: RequestRecord, outcome: string, latencyMs: number, prompt?: PromptRun): void {
    record.outcome = outcome;
    record.latencyMs = Math.round(latencyMs);
    if (prompt) record.prompt = prompt;
    if (this.record === record) this.emitter.fire(record);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

const PREVIEW_CHARS = 6000;

export function previewPrompt(prompt: string): string {
  if (prompt.length <= PREVIEW_CHARS) return prompt;
  const half = PREVIEW_CHARS / 2;
  return `${prompt.slice(0, half)}\n… (${prompt.length - PREVIEW_CHARS} characters not shown) …\n${prompt.slice(-half)}`;
}

/** `positions parallel: 3,912 prompt tokens, 120 prefilled, 2,950 reused, 842 from the chunk cache; chunk ×12 at 9-…` */
export function describePromptRun(p: PromptRun): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const chunks = p.segments.filter((s) => s.kind === 'chunk');
  const at = chunks.length > 0 ? `; ${chunks.length} chunks from position ${Math.min(...chunks.map((s) => s.first))}` : '';
  const local = p.segments.find((s) => s.kind === 'current-file');
  const window = local ? `; cursor window at ${local.first}-${local.last}` : '';
  return `positions ${p.policy}: ${n(p.promptTokens)} prompt tokens, ${n(p.prefillTokens)} prefilled, ${n(p.reusedTokens)} reused, ${n(p.chunkCacheTokens)} from the chunk cache${at}${window}`;
}
