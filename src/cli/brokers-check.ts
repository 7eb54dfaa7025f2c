/**
 * `ackcheck brokers check`: starts (or reuses) the brokers, round-trips messages through each
 * with confirms, prints addresses and timings. A quick health check of the broker setup.
 */
import type { BrokerId } from '../brokers/registry.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { openRoundTripper } from '../brokers/registry.ts';
import type { RoundTripResult } from '../brokers/roundtrip.ts';
import { onInterrupt } from './interrupt.ts';
import { green, printBrokers, printJson, red, table } from './output.ts';

export async function runBrokersCheck(opts: {
  broker: BrokerId[];
  messages: number;
  json?: boolean;
}): Promise<number> {
  const began = Date.now();
  if (!opts.json) console.log(`starting ${opts.broker.join(', ')} ...`);
  const fleet = await acquireBrokers(opts.broker);
  const release = onInterrupt(() => fleet.stop());
  try {
    if (!opts.json) printBrokers(fleet.infos);
    const results: Array<{ broker: BrokerId } & RoundTripResult> = [];
    for (const broker of fleet.brokers) {
      await using tripper = await openRoundTripper(broker.info);
      results.push({ broker: broker.id, ...(await tripper.batch(opts.messages)) });
    }
    const ok = results.every((r) => r.lost.length === 0 && r.duplicated.length === 0);
    if (opts.json) {
      printJson({ ok, brokers: fleet.infos, roundTrips: results, totalMs: Date.now() - began });
    } else {
      console.log(`\nround trip of ${opts.messages} messages (1 KiB, publisher confirms / acks=-1):`);
      console.log(
        table(
          ['broker', 'confirmed in', 'consumed in', 'msgs/s', 'lost', 'duplicated'],
          results.map((r) => [
            r.broker,
            `${r.produceMs} ms`,
            `${r.totalMs} ms`,
            String(Math.round((r.messages * 1000) / Math.max(1, r.totalMs))),
            r.lost.length ? red(String(r.lost.length)) : '0',
            r.duplicated.length ? red(String(r.duplicated.length)) : '0',
          ]),
        ),
      );
      console.log(
        ok ? green('\nall messages round-tripped exactly once') : red('\nmessages were lost or duplicated'),
      );
      console.log(`done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    }
    return ok ? 0 : 1;
  } finally {
    release();
    await fleet.stop();
  }
}
