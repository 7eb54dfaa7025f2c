/**
 * Importing a user's processor or runtime module the way their project builds it. Plain
 * JavaScript (`.js`, `.mjs`, `.cjs`: a build output) goes through Node's own import, which is
 * fastest. TypeScript goes through tsx's scoped loader (`tsImport`, not a global hook), with
 * the tsconfig.json nearest to the module: Node's type stripping alone refuses enums,
 * namespaces, parameter properties and decorators, ignores `paths` aliases, and cannot load a
 * `.ts` file of a CommonJS package that uses `import`. tsx is used rather than hand-written
 * transpiling because it already handles all of these (via esbuild) and is well kept.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PLAIN_JS = new Set(['.js', '.mjs', '.cjs']);

/** The tsconfig.json in the module's folder or the nearest one above it. */
export function nearestTsconfig(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function importUserModule(absolute: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(absolute).href;
  if (PLAIN_JS.has(extname(absolute))) return unwrapCommonJs((await import(url)) as Record<string, unknown>);
  const { tsImport } = await import('tsx/esm/api');
  const tsconfig = nearestTsconfig(absolute);
  const mod = (await tsImport(url, {
    parentURL: import.meta.url,
    ...(tsconfig ? { tsconfig } : {}),
  })) as Record<string, unknown>;
  return unwrapCommonJs(mod);
}

/**
 * A CommonJS module compiled from `export default x` arrives as `{ default: { default: x } }`
 * (its module.exports is the namespace's default): look one level down for the exports.
 */
export function unwrapCommonJs(mod: Record<string, unknown>): Record<string, unknown> {
  const inner = mod.default as Record<string, unknown> | undefined;
  if (
    inner &&
    typeof inner === 'object' &&
    ('default' in inner || 'processor' in inner || 'createRuntime' in inner)
  )
    return { ...mod, ...inner };
  return mod;
}
