import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-committer.ts';

/** A fake commit call per partition:position, settled by the test. */
function fakeCommits() {
  const calls: Array<{ partition: number; position: string; settle: (ok: boolean | Error) => void }> = [];
  const commit = (partition: number, position: string) =>
    new Promise<boolean>((resolve, reject) => {
      calls.push({
        partition,
        position,
        settle: (ok) => (ok instanceof Error ? reject(ok) : resolve(ok)),
      });
    });
  return { calls, commit };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommitter', () => {
  it('sends the first commit on the next turn of the event loop, covering every message processed before it', async () => {
    const { calls, commit } = fakeCommits();
    const acked: string[] = [];
    const committer = new GroupCommitter<string, string>(commit, (d) => acked.push(d));
    committer.add(0, '1', 'm1');
    committer.add(0, '2', 'm2');
    expect(calls).toEqual([]);
    await tick();
    expect(calls.map((c) => c.position)).toEqual(['2']); // one commit of the latest
    calls[0]?.settle(true);
    await committer.settle();
    expect(acked).toEqual(['m1', 'm2']);
  });

  it('keeps one commit in flight and commits what arrived meanwhile together, acknowledging only after each commit', async () => {
    const { calls, commit } = fakeCommits();
    const acked: string[] = [];
    const committer = new GroupCommitter<string, string>(commit, (d) => acked.push(d));
    committer.add(0, '1', 'm1');
    await tick();
    committer.add(0, '2', 'm2');
    committer.add(0, '3', 'm3');
    await tick();
    expect(calls.map((c) => c.position)).toEqual(['1']);
    expect(acked).toEqual([]);
    calls[0]?.settle(true);
    await tick();
    expect(acked).toEqual(['m1']);
    expect(calls.map((c) => c.position)).toEqual(['1', '3']); // m2 and m3 in one commit of the latest
    const settled = committer.settle();
    calls[1]?.settle(true);
    await settled;
    expect(acked).toEqual(['m1', 'm2', 'm3']);
  });

  it('settle sends what is pending at once, without waiting for the next turn', async () => {
    const { calls, commit } = fakeCommits();
    const acked: string[] = [];
    const committer = new GroupCommitter<string, string>(commit, (d) => acked.push(d));
    committer.add(0, '4', 'm4');
    const settled = committer.settle();
    expect(calls.map((c) => c.position)).toEqual(['4']);
    calls[0]?.settle(true);
    await settled;
    expect(acked).toEqual(['m4']);
    await tick(); // the deferred flush finds nothing left to send
    expect(calls).toHaveLength(1);
  });

  it('commits the partitions of one flush side by side', async () => {
    const { calls, commit } = fakeCommits();
    const committer = new GroupCommitter<string, string>(commit, () => undefined);
    committer.add(0, '1', 'a');
    committer.add(1, '5', 'b');
    committer.add(2, '7', 'c');
    await tick();
    expect(calls.map((c) => `${c.partition}:${c.position}`)).toEqual(['0:1', '1:5', '2:7']);
    for (const c of calls) c.settle(true);
    await committer.settle();
  });

  it('acknowledges nothing when a commit is declined (partition no longer owned) or fails, and settle rethrows the failure', async () => {
    const { calls, commit } = fakeCommits();
    const acked: string[] = [];
    const committer = new GroupCommitter<string, string>(commit, (d) => acked.push(d));
    committer.add(0, '1', 'm1');
    committer.add(1, '1', 'n1');
    await tick();
    calls[0]?.settle(false);
    await tick();
    calls[1]?.settle(new Error('coordinator moved'));
    await expect(committer.settle()).rejects.toThrow('coordinator moved');
    expect(acked).toEqual([]);
    await expect(committer.settle()).resolves.toBeUndefined(); // the error is reported once
  });

  it('with offsetOf, keeps the highest pending position when a partition is read again from an older offset', async () => {
    const { calls, commit } = fakeCommits();
    const acked: string[] = [];
    const committer = new GroupCommitter<string, string>(commit, (d) => acked.push(d), BigInt);
    committer.add(0, '1', 'm1');
    await tick(); // in flight
    committer.add(0, '8', 'm8');
    committer.add(0, '5', 'm5 again'); // a reopened stream read it again
    calls[0]?.settle(true);
    await tick();
    expect(calls.map((c) => c.position)).toEqual(['1', '8']);
    calls[1]?.settle(true);
    await committer.settle();
    expect(acked).toEqual(['m1', 'm8', 'm5 again']);
  });
});
