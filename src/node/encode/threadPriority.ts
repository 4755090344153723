import os from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to `nice` (0 = normal, 19 = lowest). Only on Linux,
 * where the nice value belongs to a thread and the threads it creates later (onnxruntime's pool) inherit
 * it; elsewhere `setPriority(0, …)` would lower the whole process (the editor), so nothing is done.
 * Returns whether the priority was changed.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (process.platform !== 'linux' || nice <= 0) return false;
  try {
    os.setPriority(0, Math.min(19, Math.round(nice)));
    return true;
  } catch {
    return false;
  }
}
