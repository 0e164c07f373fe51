import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The portal's master key (secrets at rest, token signing). From PORTOLAN_SECRET_KEY when set
 * (any string of 32+ characters; hashed to 32 bytes). Otherwise, for the embedded default, a key
 * generated once into the data folder, readable by the owner only.
 */
export function loadSecretKey(opts: { fromEnv?: string; dataDir: string }): Buffer {
  if (opts.fromEnv) return createHash('sha256').update(opts.fromEnv).digest();
  const file = path.resolve(opts.dataDir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) throw new Error(`${file} must be readable by its owner only (chmod 600), it is ${mode.toString(8)}`);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
