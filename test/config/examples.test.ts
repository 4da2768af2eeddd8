/** Every example config loads with the built-in modules and no secrets set, its platform section included. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../helpers/config.ts';

const root = path.resolve('examples');

describe('example configs', () => {
  for (const name of readdirSync(root).sort()) {
    it(`examples/${name}/deckhand.yaml is valid`, async () => {
      const config = await loadConfig(path.join(root, name, 'deckhand.yaml'), {});
      assert.ok(config.people.length > 0);
      // A platform's example configures that platform.
      if (name in config.sections) assert.ok(config.sections[name], `the ${name} section is read`);
    });
  }
});
