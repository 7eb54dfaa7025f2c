/**
 * Processors load the way their project builds them: projects written to a temporary folder
 * outside this repository (ESM and CommonJS, a tsconfig `paths` alias, an enum, a decorator
 * and a parameter property), and a CommonJS `.js` build output.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProcessor } from './load.ts';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ackcheck-load-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const store = `export enum Kind { Order = 'order' }
export const seen: string[] = [];
`;
const processor = `import { Kind, seen } from '@lib/store';
function Injectable(): ClassDecorator { return () => undefined; }
@Injectable()
class OrderService {
  constructor(private readonly prefix: string) {}
  handle(id: string): void { seen.push(\`\${this.prefix}\${Kind.Order}:\${id}\`); }
}
const service = new OrderService('svc-');
export default {
  reset(): void { seen.length = 0; },
  async process(message: { id: string }): Promise<void> { service.handle(message.id); },
  snapshot: () => [...seen],
};
`;
const tsconfig = (module: string) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module,
      experimentalDecorators: true,
      strict: true,
      baseUrl: '.',
      paths: { '@lib/*': ['src/lib/*'] },
    },
  });

async function roundTrip(path: string): Promise<unknown> {
  const p = await loadProcessor(path);
  await p.reset('ns');
  await p.process({ id: 'm1', key: 'k', payload: null }, {} as never);
  return p.snapshot('ns');
}

describe('loading processors as their project builds them', { timeout: 30_000 }, () => {
  it('an ESM project: path alias, enum, decorator, parameter property', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'esm-app', type: 'module' }),
      'tsconfig.json': tsconfig('NodeNext'),
      'src/lib/store.ts': store,
      'src/processor.ts': processor,
    });
    expect(await roundTrip(join(root, 'src/processor.ts'))).toEqual(['svc-order:m1']);
  });

  it('a CommonJS project (a NestJS-style service) with the same TypeScript', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'cjs-app' }),
      'tsconfig.json': tsconfig('commonjs'),
      'src/lib/store.ts': store,
      'src/processor.ts': processor,
    });
    expect(await roundTrip(join(root, 'src/processor.ts'))).toEqual(['svc-order:m1']);
  });

  it('a .js build output (CommonJS, as tsc emits it)', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'built-app' }),
      'dist/processor.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const seen = [];
exports.default = {
  reset() { seen.length = 0; },
  async process(message) { seen.push(message.id); },
  snapshot: () => [...seen],
};
`,
    });
    expect(await roundTrip(join(root, 'dist/processor.js'))).toEqual(['m1']);
  });

  it('an ESM .js module loads with Node’s own import', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'esm-js', type: 'module' }),
      'processor.js': `const seen = [];
export const processor = { reset() { seen.length = 0; }, async process(m) { seen.push(m.id); }, snapshot: () => [...seen] };
`,
    });
    expect(await roundTrip(join(root, 'processor.js'))).toEqual(['m1']);
  });
});
