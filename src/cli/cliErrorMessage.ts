/**
 * The one-line terminal wording of a failed command: what went wrong, the file or flag it concerns and,
 * for the errors a user can fix, what to do. Backend errors are worded with the flags instead of the editor's
 * settings.
 */
import { isBackendError, type BackendSettingNames } from '../common/backend/backendErrors.ts';

/** The command line's names for the backend's settings: a flag, and no API key to send. */
const CLI_SETTING_NAMES: BackendSettingNames = {
  endpointSubject: '--endpoint',
  endpoint: '--endpoint',
  apiKeyAdvice: 'The CLI sends no API key: use a server that needs none.',
};

const DECODER_FOLDER_HINT = 'a model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model*.onnx; '
  + '`squeeze models list` names the recommended ones and `squeeze models pull <name>` fetches one';
const ENCODER_FOLDER_HINT = 'an encoder folder holds tokenizer.json and onnx/model*.onnx; `squeeze models pull all-minilm-l6-v2` fetches one';

/** The message for `e` without a stack: file-system errors name the path, model-folder errors say what a folder needs. */
export function cliErrorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const first = e.message.split('\n')[0] || e.name;
  const errno = e as NodeJS.ErrnoException;
  if (errno.code === 'EISDIR') return `${typeof errno.path === 'string' ? errno.path : 'the path given'} is a folder where a file is needed`;
  if (typeof errno.path === 'string') {
    if (errno.code === 'ENOENT') return `file not found: ${errno.path}`;
    if (errno.code === 'EACCES' || errno.code === 'EPERM') return `permission denied: ${errno.path}`;
    if (errno.code === 'ENOTDIR') return `${errno.path}: part of this path is a file, not a folder`;
  }
  if (e.name === 'ModelFolderError') return `${first} (${/encoder/.test(first) ? ENCODER_FOLDER_HINT : DECODER_FOLDER_HINT})`;
  if (isBackendError(e)) return e.messageFor(CLI_SETTING_NAMES);
  return first;
}
