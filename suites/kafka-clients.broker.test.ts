/**
 * Two representative cells of suite `kafka-clients` (CI budget): Confluent's client under
 * ackcheck's at-least-once runtime keeps, and platformatic's default stream autocommit loses.
 * The whole suite: `node bin/ackcheck.ts suite kafka-clients`.
 */
import { suiteTests } from './__test-helpers__/cells.ts';
import { kafkaClientsSuite } from './kafka-clients.ts';

const REPRESENTATIVE = ['confluent/at-least-once', 'platformatic/stream-autocommit'];

suiteTests({
  ...kafkaClientsSuite,
  cells: kafkaClientsSuite.cells.filter((c) => REPRESENTATIVE.includes(c.id)),
});
