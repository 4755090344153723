import { formatBytes } from './modelCatalog.ts';

/** One line of download progress, for a terminal: `[2/5] onnx/model.onnx [#####-----] 48% 310 MB/640 MB 12 MB/s ETA 27s`. */
export interface ProgressSnapshot {
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly fileBytes: number;
  readonly fileTotal: number | undefined;
  readonly bytesPerSecond: number;
}

export function renderProgressLine(p: ProgressSnapshot, columns = 80): string {
  const head = `[${p.fileIndex + 1}/${p.fileCount}] ${p.file}`;
  const rate = p.bytesPerSecond > 0 ? ` ${formatBytes(Math.round(p.bytesPerSecond))}/s` : '';
  if (p.fileTotal === undefined || p.fileTotal <= 0) return fit(`${head} ${formatBytes(p.fileBytes)}${rate}`, columns);
  const fraction = Math.min(1, p.fileBytes / p.fileTotal);
  const left = p.fileTotal - p.fileBytes;
  const eta = p.bytesPerSecond > 0 && left > 0 ? ` ETA ${formatDuration(left / p.bytesPerSecond)}` : '';
  const tail = ` ${Math.floor(fraction * 100)}% ${formatBytes(p.fileBytes)}/${formatBytes(p.fileTotal)}${rate}${eta}`;
  const barWidth = Math.max(0, Math.min(30, columns - head.length - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  const bar = barWidth >= 5 ? ` [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]` : '';
  return fit(`${head}${bar}${tail}`, columns);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function fit(line: string, columns: number): string {
  return line.length <= columns - 1 ? line : `${line.slice(0, Math.max(0, columns - 2))}…`;
}
