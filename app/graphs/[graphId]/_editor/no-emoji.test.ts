import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeCatalogue } from '../../../../nodes/catalogue';
import { builtinRegistry } from '../../../../nodes/registry';

/**
 * Characters drawn as emoji by default (🎲, ✅, ⏳…) render as an empty box where no emoji font is
 * installed, as on many Linux desktops and servers: the UI draws icons as SVG or says it in words.
 */
const emoji = /\p{Emoji_Presentation}/u;
const appDir = fileURLToPath(new URL('../../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('no emoji in the UI', () => {
  it('has none in the app\'s components and styles', () => {
    const found = sources(appDir).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (emoji.test(line) ? [`${relative(appDir, path)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('has none in the node catalogue (titles, labels, descriptions shown in the editor)', () => {
    expect(JSON.stringify(nodeCatalogue(builtinRegistry))).not.toMatch(emoji);
  });
});
