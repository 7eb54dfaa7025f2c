import { suiteTests } from './__test-helpers__/cells.ts';
import { rabbitmqQueueTypesSuite } from './rabbitmq-queue-types.ts';

suiteTests(rabbitmqQueueTypesSuite);
