/**
 * Rules for files that may hold secrets. Such files are never read into the index: names are checked
 * before any read, and content patterns are checked on the text of every file that is read.
 * Pure: no Node built-ins.
 */

/** Exact file names (lower-cased) that hold credentials. */
export const SECRET_FILE_NAMES: ReadonlySet<string> = new Set([
  '.netrc',
  '_netrc',
  '.pgpass',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.git-credentials',
  '.htpasswd',
  '.dockercfg',
  '.s3cfg',
  '.boto',
  'credentials',
  'secrets',
  '.secrets',
]);

/**
 * Name prefixes (lower-cased) of secret files. All of `.env*` is skipped, `.env.example` and
 * `.env.sample` included: a template is one careless edit away from holding a real value.
 */
export const SECRET_NAME_PREFIXES: readonly string[] = ['.env', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'];

/** Extensions (lower-cased, with the dot) of key stores, certificates with keys, and password databases. */
export const SECRET_EXTENSIONS: ReadonlySet<string> = new Set([
  '.pem',
  '.key',
  '.p8',
  '.p12',
  '.pfx',
  '.ppk',
  '.keystore',
  '.jks',
  '.kdb',
  '.kdbx',
  '.tfstate',
  '.tfvars',
]);

/**
 * `credentials.*` and `secrets.*` are secret only with a data extension: `credentials.json` is skipped,
 * `credentials.ts` (source code, usually a provider) is read and then checked by content.
 */
export const SECRET_DATA_STEMS: readonly string[] = ['credentials', 'secrets', '.secrets', 'secret'];
export const SECRET_DATA_EXTENSIONS: ReadonlySet<string> = new Set([
  '.json',
  '.yaml',
  '.yml',
  '.toml',
  '.ini',
  '.xml',
  '.csv',
  '.txt',
  '.conf',
  '.cfg',
  '.properties',
  '.env',
  '.bak',
]);

/**
 * A name that ends in password / passwd / pwd / passphrase (`dbPassword`, `DB_PASSWORD`, `"password"`), then
 * one `=` or `:` (not `==`, `!=`, `=>`), as in code, JSON, YAML, INI and `.env` files. `resetPasswordUrl` does
 * not end in one of them and is not a match. Case-sensitive on purpose: upper-case `PWD` is the shell's working
 * directory, not a password.
 */
const PASSWORD_KEY = String.raw`(?:[Pp]ass(?:word|wd|phrase)|PASS(?:WORD|WD|PHRASE)|[Pp]wd)["'\x60]?\s*(?<![=!<>])[:=](?![=>])\s*`;

/**
 * The key given a quoted literal of six or more characters with no whitespace (labels such as "Enter
 * password" have spaces), that is not a template (`${X}`, `{{x}}`, `<x>`, `%(x)s`), a mask (`***`, `xxxx`) or
 * a value that names the field itself ("password", "Password:"), and not a version range (`"^10.2.2"` of a
 * package whose name ends in -password).
 */
const QUOTED_PASSWORD = new RegExp(
  PASSWORD_KEY + String.raw`(["'\x60])(?![\^~]?\d+\.\d+\.)(?![^"'\x60\s]*(?:\$\{|\{\{|<|%\(|\*\*\*|[Xx]{4}|[Pp][Aa][Ss][Ss](?:[Ww][Oo][Rr][Dd]|[Ww][Dd])|[Cc]hange[Mm]e))[^"'\x60\s]{6,}\1`,
);

/**
 * The key at the start of a line given a bare value (`.env`, INI, YAML, properties): six or more characters
 * with at least one digit, and none of the `.()[]{}$/` that mark code (`password = getpass()`,
 * `password: self.pwd`, `password: string`, `password = None`), and not the `changeme…` of a template.
 */
const CONFIG_PASSWORD = new RegExp(String.raw`^[ \t]*[\w.-]*` + PASSWORD_KEY + String.raw`(?![Cc]hange[Mm]e)(?=[^\s#;]*\d)[A-Za-z0-9!#%^&*_+\-@~]{6,}[ \t]*$`, 'm');

/** Content patterns: one match anywhere in a file's text skips the whole file. */
export const SECRET_CONTENT_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'private key block', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}/ },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/ },
  { name: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'Stripe live key', pattern: /\b[sr]k_live_[0-9A-Za-z]{24,}/ },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'AWS secret access key', pattern: /secret_?access_?key["'`]?\s*[:=]\s*["'`]?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/i },
  { name: 'OpenAI or Anthropic API key', pattern: /\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{32,}/ },
  { name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
  { name: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`$]+:[^\s/@'"`${}<>*]{3,}@[\w.-]/i },
  { name: 'password assigned a string literal', pattern: QUOTED_PASSWORD },
  { name: 'password in a config line', pattern: CONFIG_PASSWORD },
];

/** The last `/`-separated segment of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The extension of a base name, lower-cased with its dot (`''` when none; `.env` has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** True when the file name alone says the file may hold secrets. */
export function isSecretName(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (SECRET_FILE_NAMES.has(name)) return true;
  if (SECRET_NAME_PREFIXES.some((p) => name.startsWith(p))) return true;
  const ext = extensionOf(name);
  if (SECRET_EXTENSIONS.has(ext)) return true;
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  return SECRET_DATA_STEMS.includes(stem) && SECRET_DATA_EXTENSIONS.has(ext);
}

/** The name of the first secret pattern found in the text, or undefined. */
export function findSecretInText(text: string): string | undefined {
  return SECRET_CONTENT_PATTERNS.find((p) => p.pattern.test(text))?.name;
}
