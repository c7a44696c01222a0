/**
 * Credential removal for strings that reach a report. A lockfile written against a private
 * registry can carry `https://user:token@host/...` or `?token=...` in `resolved`, and messages
 * quote those URLs; reports end up in CI logs and uploaded artifacts, so secrets are replaced
 * by `***` wherever they appear in the text, not only when the whole string is a URL.
 * (npm's @npmcli/redact works the same way.)
 */

const MASK = '***';

/** `scheme://userinfo@`: the userinfo part is where basic-auth credentials and tokens sit. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]+)@/gi;

/** Query or matrix parameters that carry secrets (signed URLs included). */
const SECRET_PARAM =
  /([?&;])(_?auth(?:Token)?|token|access_token|auth_token|api[_-]?key|password|passwd|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=([^&#\s"']*)/gi;

/** npmrc-style settings quoted in messages: `//host/:_authToken=...`, `_auth=...`, `_password=...`. */
const NPMRC_SECRET = /(:?_(?:authToken|auth|password))\s*=\s*([^\s"'&#;]+)/gi;

/** Well-known token formats that are secret wherever they appear (npm, GitHub). */
const KNOWN_TOKENS = /\b(?:npm_[A-Za-z0-9]{36}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g;

/** A user name alone is no secret when it is the conventional one of git hosting. */
const PUBLIC_USERS = new Set(['git']);

function redactUserinfo(_match: string, scheme: string, userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
  // A lone user part is how tokens are passed (`https://<token>@host`), so it is masked too.
  return PUBLIC_USERS.has(userinfo) ? `${scheme}${userinfo}@` : `${scheme}${MASK}@`;
}

/** Returns `text` with URL credentials, secret parameters and known token formats masked. */
export function redact(text: string): string {
  return text
    .replace(URL_USERINFO, redactUserinfo)
    .replace(SECRET_PARAM, (_match, separator: string, name: string) => `${separator}${name}=${MASK}`)
    .replace(NPMRC_SECRET, (_match, key: string) => `${key}=${MASK}`)
    .replace(KNOWN_TOKENS, MASK);
}

/**
 * The redactor every reporter uses: credentials as above, plus the machine's absolute project
 * directory (error messages quote absolute paths; reports must not leak the runner's layout and
 * must read the same on every machine). Occurrences become project-relative.
 */
export function createRedactor(projectDir: string): (text: string) => string {
  const dir = projectDir.replace(/[\\/]+$/, '');
  // '' or a bare root would match every separator; nothing machine-specific to hide then.
  if (dir.length <= 1 || /^[A-Za-z]:$/.test(dir)) return redact;
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `<dir>/x` becomes `x`, a bare `<dir>` becomes `.`; `<dir>-other` and `<dir>.d` are other paths.
  const inside = new RegExp(`${escaped}[\\\\/]`, 'g');
  const bare = new RegExp(`${escaped}(?![\\w-]|\\.[\\w-])`, 'g');
  return (text) => redact(text.replace(inside, '').replace(bare, '.'));
}
