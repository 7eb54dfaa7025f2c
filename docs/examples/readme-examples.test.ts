/**
 * The README's examples of users' own runtimes on Confluent's and Platformatic's clients are
 * these files (type-checked by `tsc`, which includes docs/), but importing from the source
 * instead of the package: this test keeps the two copies identical.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('README examples', () => {
  it.each(['confluent', 'platformatic'])('my-%s-runtime.ts is the README example', (client) => {
    const file = read(`./my-${client}-runtime.ts`).replace("from '../../src/index.ts';", "from 'ackcheck';");
    expect(read('../../README.md')).toContain(`\`\`\`ts\n${file}\`\`\``);
  });
});
