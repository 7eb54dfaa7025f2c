import { describe, expect, it } from 'vitest';
import type { CertifyResult } from '../harness/certify.ts';
import { EXIT, exitCode, outcomeLine } from './certify.ts';

const r = (status: CertifyResult['status']) => ({ status, ok: status === 'pass' }) as CertifyResult;

describe('certify exit code', () => {
  it('0 only when every cell passed', () => {
    expect(exitCode([r('pass'), r('pass')])).toBe(EXIT.pass);
  });

  it('2 when a cell is incomplete or stopped on an error (nothing certified there)', () => {
    expect(exitCode([r('pass'), r('incomplete')])).toBe(EXIT.error);
    expect(exitCode([r('error')])).toBe(EXIT.error);
    expect(outcomeLine([r('pass'), r('incomplete'), r('error')])).toBe(
      '2 of 3 not certified: 1 incomplete (not certified: too few runs completed), 1 stopped on an error',
    );
  });

  it('1 when an invariant was violated, even if another cell is incomplete', () => {
    expect(exitCode([r('incomplete'), r('fail')])).toBe(EXIT.violated);
    expect(outcomeLine([r('fail'), r('pass')])).toBe('1 of 2 not certified: 1 violated an invariant');
  });
});
