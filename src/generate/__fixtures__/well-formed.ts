/**
 * Laws every generated value must satisfy, shared by the generate tests. Each returns the list
 * of problems it found (empty when well-formed), so a failing property prints all of them.
 */
import { CONSUMER_FAULTS, type Fault, FAULT_KINDS, PHASES } from '../../model/fault.ts';
import type { Message } from '../../model/message.ts';
import type { Scenario } from '../../model/scenario.ts';
import { HOLD_MS, LATENCY_MS } from '../_internals/fault-plan.ts';

const inRange = (n: number | undefined, r: { min: number; max: number }) =>
  n !== undefined && Number.isInteger(n) && n >= r.min && n <= r.max;

export function messageProblems(messages: readonly Message[], keySpace: number): string[] {
  const problems: string[] = [];
  messages.forEach((m, i) => {
    if (m.id !== `m${i + 1}`) problems.push(`message ${i} has id ${m.id}, expected m${i + 1}`);
    const k = /^k(\d+)$/.exec(m.key);
    if (k === null || Number(k[1]) < 1 || Number(k[1]) > keySpace) {
      problems.push(`${m.id} has key ${m.key} outside k1..k${keySpace}`);
    }
  });
  if (new Set(messages.map((m) => m.id)).size !== messages.length)
    problems.push('message ids are not unique');
  return problems;
}

export function faultProblems(faults: readonly Fault[], messages: readonly Message[]): string[] {
  const problems: string[] = [];
  const ids = new Set(messages.map((m) => m.id));
  for (const f of faults) {
    const where = `${f.kind} ${JSON.stringify(f.trigger)}`;
    if (!(FAULT_KINDS as readonly string[]).includes(f.kind)) problems.push(`unknown kind in ${where}`);
    const t = f.trigger;
    if (CONSUMER_FAULTS.includes(f.kind)) {
      if (t.type !== 'phase') {
        problems.push(`consumer fault without phase trigger: ${where}`);
        continue;
      }
      if (!ids.has(t.messageId)) problems.push(`trigger on unknown message: ${where}`);
      if (!PHASES.includes(t.phase)) problems.push(`unknown phase: ${where}`);
      if (t.attempt !== 1 && t.attempt !== 2) problems.push(`attempt not 1 or 2: ${where}`);
      if (f.kind === 'processor-throw' && t.phase !== 'before-process' && t.phase !== 'during-process') {
        problems.push(`processor-throw outside processing: ${where}`);
      }
    } else if (t.type !== 'progress') {
      problems.push(`broker/network fault without progress trigger: ${where}`);
    } else if (!Number.isInteger(t.acks) || t.acks < 0 || t.acks > messages.length) {
      problems.push(`acks out of 0..${messages.length}: ${where}`);
    }
    const keys = Object.keys(f.params).sort().join(',');
    const expected =
      f.kind === 'network-latency'
        ? 'holdMs,latencyMs'
        : ['consumer-stall', 'broker-pause', 'network-cut', 'network-blackhole'].includes(f.kind)
          ? 'holdMs'
          : '';
    if (keys !== expected) problems.push(`params {${keys}} expected {${expected}}: ${where}`);
    if (f.params.holdMs !== undefined && !inRange(f.params.holdMs, HOLD_MS)) {
      problems.push(`holdMs ${f.params.holdMs} out of range: ${where}`);
    }
    if (f.params.latencyMs !== undefined && !inRange(f.params.latencyMs, LATENCY_MS)) {
      problems.push(`latencyMs ${f.params.latencyMs} out of range: ${where}`);
    }
  }
  return problems;
}

export function scenarioProblems(s: Scenario, keySpace: number, maxConsumers: number): string[] {
  const problems = [...messageProblems(s.messages, keySpace), ...faultProblems(s.faults, s.messages)];
  const ids = s.messages.map((m) => m.id);
  if (!s.producerDuplicates.every((id) => ids.includes(id)))
    problems.push('producer duplicate of unknown id');
  if (new Set(s.producerDuplicates).size !== s.producerDuplicates.length)
    problems.push('repeated duplicate id');
  const order = s.producerDuplicates.map((id) => ids.indexOf(id));
  if (order.some((p, i) => i > 0 && p < (order[i - 1] ?? -1)))
    problems.push('duplicates not in produce order');
  if (!inRange(s.consumers, { min: 1, max: maxConsumers })) problems.push(`consumers ${s.consumers}`);
  if (s.broker === 'kafka') {
    if (!inRange(s.kafka?.partitions, { min: 1, max: 4 })) problems.push(`partitions ${s.kafka?.partitions}`);
    if ('rabbitmq' in s) problems.push('kafka scenario with rabbitmq settings');
  } else {
    if (!inRange(s.rabbitmq?.prefetch, { min: 1, max: 10 }))
      problems.push(`prefetch ${s.rabbitmq?.prefetch}`);
    if (s.rabbitmq?.queueType !== 'classic' && s.rabbitmq?.queueType !== 'quorum')
      problems.push('queue type');
    if ('kafka' in s) problems.push('rabbitmq scenario with kafka settings');
  }
  return problems;
}
