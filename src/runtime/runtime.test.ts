import { describe, expect, it } from 'vitest';
import { decodeCopy } from './runtime.ts';

describe('decodeCopy', () => {
  it('reads the copy header as the producer wrote it, one digit or more, Buffer or string', () => {
    expect(decodeCopy(Buffer.from('0'))).toBe(0);
    expect(decodeCopy(Buffer.from('7'))).toBe(7);
    expect(decodeCopy(Buffer.from('12'))).toBe(12);
    expect(decodeCopy('3')).toBe(3);
    expect(decodeCopy('10')).toBe(10);
  });

  it('is 0 without the header, and not a number for one that is not one', () => {
    expect(decodeCopy(undefined)).toBe(0);
    expect(decodeCopy(null)).toBe(0);
    expect(decodeCopy(Buffer.from('x'))).toBeNaN();
  });
});
