#!/usr/bin/env node
/**
 * The `ackcheck` executable: the CLI (src/cli) with the ready-made conformance suites
 * (suites/) handed in, so that neither imports the other's side of the package.
 */
import { SUITES } from '../suites/index.ts';
import { main } from '../src/cli/main.ts';

process.exit(await main(process.argv, { suites: SUITES }));
