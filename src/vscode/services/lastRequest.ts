import * as vscode from 'vscode';
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
  finish(record: RequestRecord, outcome: string, latencyMs: number): void {
    record.outcome = outcome;
    record.latencyMs = Math.round(latencyMs);
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
