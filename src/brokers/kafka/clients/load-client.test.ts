import { describe, expect, it } from 'vitest';
import { isAckcheckError } from '../../../errors.ts';
import { loadOptionalClient } from './load-client.ts';

const notFound = (pkg: string) =>
  Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/y.ts`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });

describe('loadOptionalClient', () => {
  it('fails with CLIENT_MISSING and the npm i line when the package is not installed', async () => {
    const error: unknown = await loadOptionalClient({ pkg: 'fake-client-a', title: 'Fake' }, () =>
      Promise.reject(notFound('fake-client-a')),
    ).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'CLIENT_MISSING')).toBe(true);
    expect((error as Error).message).toContain('npm i fake-client-a');
  });

  it('fails with CLIENT_MISSING and the hint when the package is there but does not load', async () => {
    const error: unknown = await loadOptionalClient(
      { pkg: 'fake-client-b', title: 'Fake', brokenHint: 'Build its binding.' },
      () => Promise.reject(new Error('Could not locate the bindings file. Tried:\n → /a\n → /b')),
    ).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'CLIENT_MISSING')).toBe(true);
    expect((error as Error).message).toBe(
      'Fake (fake-client-b) is installed but does not load: Could not locate the bindings file. Tried:. Build its binding.',
    );
  });

  it('imports once, and tries again after a failure', async () => {
    let calls = 0;
    const client = { pkg: 'fake-client-c', title: 'Fake' };
    const load = () =>
      ++calls === 1 ? Promise.reject(notFound('fake-client-c')) : Promise.resolve({ ok: calls });
    await expect(loadOptionalClient(client, load)).rejects.toThrow(/npm i fake-client-c/);
    expect(await loadOptionalClient(client, load)).toEqual({ ok: 2 });
    expect(await loadOptionalClient(client, load)).toEqual({ ok: 2 });
    expect(calls).toBe(2);
  });
});
