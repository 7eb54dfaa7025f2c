/**
 * Dependencies point one way (DESIGN.md "Where things live"): reads the relative imports of
 * every module under src/ and fails on an edge that the table below does not allow, e.g.
 * check -> brokers or report -> harness. Tests and fixtures are left out: they may reach
 * anywhere. Type-only imports count too: a type is a dependency on the concept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** What each part of src/ may import, besides itself. Parts are top-level folders or files. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  'deadline.ts': [],
  'import-user-module.ts': [],
  model: ['errors.ts'],
  check: ['model', 'errors.ts'],
  generate: ['model'],
  runtime: ['model'],
  history: ['model'],
  brokers: ['model', 'runtime', 'errors.ts', 'deadline.ts'],
  nemesis: ['brokers', 'model', 'errors.ts', 'deadline.ts'],
  workers: [
    'brokers',
    'runtime',
    'history',
    'nemesis',
    'model',
    'errors.ts',
    'deadline.ts',
    'import-user-module.ts',
  ],
  report: ['model', 'check'],
  harness: [
    'generate',
    'brokers',
    'nemesis',
    'history',
    'check',
    'workers',
    'runtime',
    'model',
    'errors.ts',
    'deadline.ts',
  ],
  config: ['harness', 'brokers', 'model', 'errors.ts', 'import-user-module.ts'],
  vitest: ['harness', 'brokers', 'report', 'model', 'errors.ts'],
  cli: [
    'harness',
    'brokers',
    'report',
    'config',
    'nemesis',
    'generate',
    'check',
    'model',
    'errors.ts',
    'deadline.ts',
  ],
  'index.ts': ['*'],
};

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('__') ? [] : modules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

function partOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0] as string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

function edges(): Array<{ from: string; to: string; file: string; spec: string }> {
  return modules(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(IMPORT)].flatMap((m) => {
      const spec = (m[1] ?? m[2]) as string;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) return [{ from: partOf(file), to: '(outside src)', file, spec }];
      return [{ from: partOf(file), to: partOf(target), file, spec }];
    });
  });
}

describe('layout', () => {
  it('every import of src/ points the allowed way', () => {
    const bad = edges()
      .filter((e) => e.from !== e.to)
      .filter((e) => {
        const allowed = ALLOWED[e.from];
        if (!allowed) return true; // a new part must be placed in the table
        return !allowed.includes('*') && !allowed.includes(e.to);
      })
      .map((e) => `${relative(SRC, e.file)} -> ${e.spec} (${e.from} -> ${e.to})`);
    expect(bad).toEqual([]);
  });

  it('only the registry imports the broker folders', () => {
    const brokerFolders = ['kafka', 'rabbitmq'];
    const bad = modules(SRC)
      .filter((f) => !brokerFolders.some((b) => relative(SRC, f).startsWith(join('brokers', b))))
      .filter((f) => relative(SRC, f) !== join('brokers', 'registry.ts') && relative(SRC, f) !== 'index.ts')
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(IMPORT)]
          .map((m) => (m[1] ?? m[2]) as string)
          .filter((spec) => {
            const rel = relative(join(SRC, 'brokers'), resolve(dirname(file), spec));
            return brokerFolders.some((b) => rel.startsWith(`${b}/`) || rel === b);
          })
          .map((spec) => `${relative(SRC, file)} -> ${spec}`),
      );
    expect(bad).toEqual([]);
  });

  it('sees the imports it checks (the check can fail)', () => {
    const all = edges();
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((e) => e.from === 'harness' && e.to === 'brokers')).toBe(true);
  });
});
