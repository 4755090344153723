/**
 * Incremental parser for server-sent events (the WHATWG `text/event-stream` format). Feed it bytes in
 * chunks of any size — a chunk may end inside a line, inside a CRLF pair or inside a UTF-8 sequence —
 * and it returns the events completed so far. Pure: no I/O.
 *
 * Lines end with LF, CRLF or a lone CR. `data:` lines of one event are joined with "\n"; a blank line
 * dispatches the event; lines starting with ":" are comments; one space after the colon is dropped.
 * At end of input, an event whose lines were all complete is dispatched even without the final blank
 * line; an unterminated last line is dropped (the stream was cut inside it).
 */
export interface SseEvent {
  /** The `event:` field, or "message". */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen in the stream, if any. */
  readonly id?: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** Text of the current, unterminated line. */
  private line = '';
  /** The previous chunk ended with CR: a LF at the start of the next one belongs to it. */
  private skipLeadingLf = false;
  private dataLines: string[] = [];
  private eventType = '';
  private lastId: string | undefined;
  /** The last valid `retry:` value, in milliseconds. */
  retryMs: number | undefined;

  /** Parses one chunk; returns the events it completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    this.feed(text, out);
    return out;
  }

  /** Signals the end of input; returns the last event if it was complete up to its final blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.feed(this.decoder.decode(), out);
    this.line = '';
    this.dispatch(out);
    this.skipLeadingLf = false;
    return out;
  }

  private feed(text: string, out: SseEvent[]): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.skipLeadingLf && text.charCodeAt(0) === 10) start = 1;
    this.skipLeadingLf = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.line + text.slice(start, i);
      this.line = '';
      if (c === 13) {
        if (i + 1 === text.length) this.skipLeadingLf = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      this.processLine(line, out);
    }
    this.line += text.slice(start);
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    this.processField(field, value);
  }

  private processField(field: string, value: string): void {
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const base = { event: this.eventType || 'message', data: this.dataLines.join('\n') };
      out.push(this.lastId === undefined ? base : { ...base, id: this.lastId });
    }
    this.dataLines = [];
    this.eventType = '';
  }
}
