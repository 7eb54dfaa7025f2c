/**
 * Entry point of the watchdog started by reaper.ts: `reaper-process <pid> <owner-label>`.
 * Waits for process <pid> to end, then removes the containers labelled with its owner label.
 * Gives up after 24 hours so that a stray watchdog cannot live forever.
 */
import { docker, ownerAlive, removeOwnedBy } from './docker.ts';

const [pidArg, owner] = process.argv.slice(2);
const pid = Number(pidArg); // checked for form; liveness goes by the owner label
const giveUpAt = Date.now() + 24 * 3600_000;

async function main(): Promise<void> {
  if (!Number.isInteger(pid) || !owner) process.exit(2);
  while (ownerAlive(owner) && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 300));
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await removeOwnedBy(await docker(10_000), owner);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

void main().then(() => process.exit(0));
