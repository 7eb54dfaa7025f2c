import { suiteTests } from './__test-helpers__/cells.ts';
import { kafkaClientConfigsSuite } from './kafka-client-configs.ts';

suiteTests(kafkaClientConfigsSuite);
