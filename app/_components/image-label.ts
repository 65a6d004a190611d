/** Whether a value is an image's content hash (sha256, lower-case hex), as params and run inputs name uploads. */
export const isSha256 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/** A hash cut to its first 12 characters (what a page shows of an image with no known name). */
export const shortHash = (hash: string): string => (hash.length > 16 ? `${hash.slice(0, 12)}…` : hash);

/**
 * What a page calls an image named by its hash: the file name it was uploaded with when the page
 * knows one, else the noun and a short hash (`image 3f2a9c1b7d4e…`): never the whole hash.
 */
export function imageLabel(hash: string, fileName: string | null | undefined, noun = 'image'): string {
  const name = fileName?.trim();
  return name ? name : `${noun} ${shortHash(hash)}`;
}
