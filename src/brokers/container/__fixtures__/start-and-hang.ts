/**
 * Test helper process: starts one broker, prints its container name, then hangs until it is
 * killed. Used to prove the watchdog removes the container after a SIGKILL.
 * Usage: node start-and-hang.ts <broker-id>
 */
import type { BrokerId } from '../../registry.ts';
import { startBroker } from '../start-broker.ts';

const broker = await startBroker({ broker: process.argv[2] as BrokerId });
process.stdout.write(`${JSON.stringify({ container: broker.info.containerName })}\n`);
setInterval(() => undefined, 60_000);
