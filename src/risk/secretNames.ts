/**
 * Which environment variable names look like they hold secrets.
 */

const SECRET_PART = /^(?:KEY|KEYS|TOKEN|TOKENS|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIAL|CREDENTIALS|CREDS|APIKEY|PRIVATE|AUTH|COOKIE|SESSION|DSN|SIGNATURE|CERT|WEBHOOK)$/;
const NOT_SECRET = /^(?:PWD|OLDPWD|SSH_AUTH_SOCK|KEYBOARD|GPG_TTY|PASSWORD_STORE_DIR|AUTH_SOCK|TOKENIZERS_PARALLELISM|KEYTIMEOUT)$/;

/** True for names like `OPENAI_API_KEY`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`. */
export function isSecretVarName(name: string): boolean {
  const up = name.toUpperCase();
  if (NOT_SECRET.test(up)) return false;
  if (/(?:API_?KEY|ACCESS_?KEY|SECRET|TOKEN(?!IZER)|PASSWORD|PASSWD|PRIVATE_?KEY|CLIENT_SECRET|CREDENTIALS?)/.test(up)) return true;
  // connection strings carry their password; PATs are tokens
  if (/(?:^|_)(?:DATABASE|DB|POSTGRES(?:QL)?|PG|MYSQL|MONGO(?:DB)?|REDIS|AMQP|RABBITMQ|CLICKHOUSE)_(?:URL|URI)$|^DATABASE_URL$|(?:^|_)PAT$/.test(up)) return true;
  return up.split(/_+/).some((p) => SECRET_PART.test(p));
}
