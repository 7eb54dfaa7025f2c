/** Plain-text and JSON output of the CLI. Colour only on a terminal, never in CI logs. */
import { stripVTControlCharacters } from 'node:util';
import { adapterFor } from '../brokers/registry.ts';
import type { BrokerInfo } from '../model/broker.ts';

export const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.CI !== 'true';

export function paint(code: number, text: string): string {
  return useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
}
export const green = (t: string) => paint(32, t);
export const red = (t: string) => paint(31, t);
export const dim = (t: string) => paint(2, t);

/** `1 message`, `2 messages`: a count with its noun. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function brokerAddress(info: BrokerInfo): string {
  return adapterFor(info.kind).address(info);
}

export function printBrokers(infos: readonly BrokerInfo[]): void {
  for (const info of infos) {
    const ready = info.readyInMs > 0 ? `ready in ${(info.readyInMs / 1000).toFixed(1)} s` : 'already running';
    console.log(
      `${info.id.padEnd(14)} ${brokerAddress(info).padEnd(46)} ${dim(`${ready}, ${info.containerName}`)}`,
    );
  }
}

/** Renders rows as an aligned text table (cells may be coloured: widths count visible characters). */
export function table(header: string[], rows: string[][]): string {
  const width = (text: string) => stripVTControlCharacters(text).length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
