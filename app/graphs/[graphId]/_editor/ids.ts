const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [a-z0-9] from the platform's cryptographic random source. */
export function randomToken(length = 8): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  // 256 is not a multiple of 36; the slight bias toward the first letters does not matter for ids.
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A short slug of a node type's last segment: image.blur → blur, pipeline.call → call. */
export function typeSlug(type: string): string {
  const last = type.split('.').pop() ?? '';
  return last.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16) || 'node';
}

/**
 * A fresh node id that cannot collide with ids made elsewhere (another tab, a pasted
 * fragment, a teammate's copy): the type's slug and 8 random characters, blur-k3v9x0qa.
 * Ids of loaded documents are kept as they are; only new nodes get these.
 */
export function nextNodeId(type: string, taken: ReadonlySet<string>, slug = typeSlug(type)): string {
  for (;;) {
    const id = `${slug}-${randomToken()}`;
    if (!taken.has(id)) return id;
  }
}
