import { describe, expect, it } from 'vitest';
import { rangeAsked } from '../../src/media-serve/byte-range';

describe('one Range header against a 100-byte file', () => {
  it.each([
    [undefined, { kind: 'whole' }],
    ['bytes=0-9', { kind: 'range', start: 0, end: 9 }],
    ['bytes=90-', { kind: 'range', start: 90, end: 99 }],
    ['bytes=95-500', { kind: 'range', start: 95, end: 99 }],
    ['bytes=-10', { kind: 'range', start: 90, end: 99 }],
    ['bytes=-500', { kind: 'range', start: 0, end: 99 }],
    ['bytes=99-99', { kind: 'range', start: 99, end: 99 }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=10-5', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=-', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'unsatisfiable' }],
    ['items=0-9', { kind: 'unsatisfiable' }],
    ['bytes=a-b', { kind: 'unsatisfiable' }],
  ])('%s → %j', (header, expected) => {
    expect(rangeAsked(header, 100)).toEqual(expected);
  });

  it('gives an empty file no range', () => {
    expect(rangeAsked('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(rangeAsked(undefined, 0)).toEqual({ kind: 'whole' });
  });
});
