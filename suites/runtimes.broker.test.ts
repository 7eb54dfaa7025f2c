import { suiteTests } from './__test-helpers__/cells.ts';
import { runtimesSuite } from './runtimes.ts';

suiteTests(runtimesSuite);
