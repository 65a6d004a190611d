import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv } from '../../server/config';
import { clientAddress } from '../../server/http/viewer-from-request';

describe('server config', () => {
  it('has working defaults and reads the environment', () => {
    expect(serverConfigFromEnv({})).toMatchObject({ dataDir: resolve('data'), workers: 2, previewMaxSide: 512, trustProxy: false, filesRoot: undefined });
    expect(serverConfigFromEnv({ PIXELWIRE_WORKERS: '4', PIXELWIRE_FILES_ROOT: '/srv/images', PIXELWIRE_TRUST_PROXY: 'true' })).toMatchObject({
      workers: 4,
      filesRoot: '/srv/images',
      trustProxy: true,
    });
  });

  it('stops with a readable message on a bad value', () => {
    expect(() => serverConfigFromEnv({ PIXELWIRE_WORKERS: 'many' })).toThrow(/PIXELWIRE_WORKERS/);
    expect(() => serverConfigFromEnv({ PIXELWIRE_SECURE_COOKIES: 'yes' })).toThrow(/PIXELWIRE_SECURE_COOKIES/);
  });
});

describe('client address for rate limits', () => {
  const request = new Request('http://localhost/api', { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } });
  it('ignores X-Forwarded-For unless a proxy is trusted, since anyone can send it', () => {
    expect(clientAddress(request, false)).toBeUndefined();
    expect(clientAddress(request, true)).toBe('203.0.113.9');
    expect(clientAddress(new Request('http://localhost/api'), true)).toBeUndefined();
  });
});
