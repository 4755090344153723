/**
 * The id of an ONNX encoder: every input that changes its vectors. Two folders with the same files give
 * the same id (the folder's path and name do not count); another model file, tokenizer, precision, token
 * limit or pooling gives another, so an index or cache never mixes their vectors.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { sha256File } from '../fs/atomicFile.ts';
import type { EncoderFolder } from './encoderFolder.ts';

/** Bump when tokenizing, pooling or normalising change: every id changes with it. */
export const ONNX_ENCODER_VERSION = 1;

const digests = new Map<string, Promise<string>>();

/** sha256 of a file, remembered per (path, size, mtime) for this process: model files are large. */
function fileDigest(file: string): Promise<string> {
  return fs.stat(file).then((st) => {
    const key = `${file}\0${st.size}\0${st.mtimeMs}`;
    let d = digests.get(key);
    if (!d) {
      d = sha256File(file);
      digests.set(key, d);
      d.catch(() => digests.delete(key));
    }
    return d;
  });
}

/** `onnx-mean-v1-<precision>-t<max tokens>-d<dim>-<model sha256 prefix>-<tokenizer files sha256 prefix>`. */
export async function encoderId(folder: EncoderFolder, dim: number): Promise<string> {
  const tokenizerFiles = [folder.tokenizerFile, ...(folder.tokenizerConfigFile ? [folder.tokenizerConfigFile] : [])];
  const [model, ...tok] = await Promise.all([fileDigest(folder.onnxFile), ...tokenizerFiles.map(fileDigest)]);
  const tokenizer = createHash('sha256').update(tok.join(':')).digest('hex');
  return `onnx-mean-v${ONNX_ENCODER_VERSION}-${folder.precision}-t${folder.maxTokens}-d${dim}-${model!.slice(0, 16)}-${tokenizer.slice(0, 8)}`;
}
