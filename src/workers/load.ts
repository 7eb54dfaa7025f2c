/** Loading user modules (processor, runtime) with errors that say what is wrong and how to fix it. */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { clientFor } from '../brokers/registry.ts';
import type { Runtime, RuntimeFactory } from '../runtime/runtime.ts';
import { AckcheckError, describeError } from '../errors.ts';
import type { BrokerKind } from '../model/broker.ts';
import type { Processor } from '../model/processor.ts';
import { importUserModule } from '../import-user-module.ts';
import type { RuntimeSpec } from './worker-config.ts';

export function resolveModulePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

async function importModule(path: string, what: string): Promise<Record<string, unknown>> {
  const absolute = resolveModulePath(path);
  if (!existsSync(absolute)) {
    throw new AckcheckError(
      'PROCESSOR_NOT_FOUND',
      `${what} module not found: ${absolute}. Pass the path of a .ts or .js file that exports it (relative paths are resolved from ${process.cwd()}).`,
    );
  }
  try {
    return await importUserModule(absolute);
  } catch (error) {
    const code = (error as { code?: string } | undefined)?.code;
    const advice =
      code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]src[\\/]/.test(describeError(error))
        ? " It imports 'ackcheck' from a clone that is not built yet: run `npm run build` there (scripts/run.sh does it)."
        : code === 'ERR_MODULE_NOT_FOUND'
          ? ' Install the package it imports, or fix the import path.'
          : '';
    throw new AckcheckError(
      'PROCESSOR_INVALID',
      `${what} module ${absolute} failed to load: ${describeError(error)}.${advice}`,
      {
        cause: error,
      },
    );
  }
}

export async function loadProcessor(path: string): Promise<Processor> {
  const mod = await importModule(path, 'processor');
  const candidate = (mod.default ?? mod.processor) as Partial<Processor> | undefined;
  const missing = ['process', 'reset', 'snapshot'].filter(
    (m) => typeof (candidate as Record<string, unknown> | undefined)?.[m] !== 'function',
  );
  if (!candidate || missing.length > 0) {
    throw new AckcheckError(
      'PROCESSOR_INVALID',
      `${resolveModulePath(path)} does not export a processor: the default export (or \`processor\`) needs ` +
        `functions process(message, ctx), reset(namespace) and snapshot(namespace)` +
        (candidate ? `; missing: ${missing.join(', ')}.` : '.') +
        " Wrap it in defineProcessor({...}) from 'ackcheck' for type checking.",
    );
  }
  return candidate as Processor;
}

export async function loadRuntime(spec: RuntimeSpec, broker: BrokerKind): Promise<Runtime> {
  if ('builtin' in spec) {
    return clientFor(spec.builtin, spec.client).runtime({ semantics: spec.semantics });
  }
  const mod = await importModule(spec.module, 'runtime');
  const factory = (mod.createRuntime ?? mod.default) as RuntimeFactory | undefined;
  if (typeof factory !== 'function') {
    throw new AckcheckError(
      'RUNTIME_INVALID',
      `${resolveModulePath(spec.module)} does not export createRuntime(): export a function ({ broker }) => Runtime.`,
    );
  }
  const runtime = factory({ broker });
  if (!runtime || typeof runtime.start !== 'function' || typeof runtime.stop !== 'function') {
    throw new AckcheckError(
      'RUNTIME_INVALID',
      `createRuntime() in ${spec.module} did not return a Runtime (start/stop).`,
    );
  }
  return runtime;
}
