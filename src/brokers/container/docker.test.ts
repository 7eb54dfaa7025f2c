import { afterEach, describe, expect, it } from 'vitest';
import { isAckcheckError } from '../../errors.ts';
import { pingDocker } from './docker.ts';

describe('pingDocker', () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it('fails fast with DOCKER_UNREACHABLE and advice when the socket does not exist', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const error = await pingDocker(2_000).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'DOCKER_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /unix:\/\/\/nonexistent\/docker\.sock.*Start the Docker engine/s,
    );
  });

  it('fails with DOCKER_UNREACHABLE when nothing listens on a tcp DOCKER_HOST', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    const error = await pingDocker(2_000).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'DOCKER_UNREACHABLE')).toBe(true);
  });

  it('rejects a DOCKER_HOST it cannot parse', async () => {
    process.env.DOCKER_HOST = 'ssh://somewhere';
    await expect(pingDocker(1_000)).rejects.toThrow(/is not unix:\/\/PATH or tcp:\/\/HOST:PORT/);
  });
});
