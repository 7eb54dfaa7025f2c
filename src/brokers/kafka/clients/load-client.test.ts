import { describe, expect, it } from 'vitest';
import { isAckcheckError } from '../../../errors.ts';
import { clientFor } from '../../registry.ts';
import { loadOptionalClient, optionalClientFamily } from './load-client.ts';

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

describe('optionalClientFamily', () => {
  it('selecting a client whose package is missing fails with CLIENT_MISSING and the npm i line, before any runtime exists', async () => {
    let made = 0;
    const family = optionalClientFamily({
      name: 'fake',
      package: 'fake-client-d',
      load: () =>
        loadOptionalClient({ pkg: 'fake-client-d', title: 'Fake client' }, () =>
          Promise.reject(notFound('fake-client-d')),
        ),
      runtime: () => {
        made++;
        throw new Error('not reached');
      },
    });
    const error: unknown = await family.runtime({ semantics: 'at-least-once' }).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'CLIENT_MISSING')).toBe(true);
    expect((error as Error).message).toContain('`npm i fake-client-d`');
    expect(made).toBe(0);
  });

  it('the registry lists Confluent and Platformatic with the packages the npm i line names', () => {
    expect(clientFor('kafka', 'confluent').package).toBe('@confluentinc/kafka-javascript');
    expect(clientFor('kafka', 'platformatic').package).toBe('@platformatic/kafka');
  });
});
