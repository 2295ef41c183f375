import { ByteRange } from '../media/blob-store';

/** What one `Range` header asks of a file of `size` bytes: all of it, one range, or nothing it can have. */
export type RangeAsked = { kind: 'whole' } | ({ kind: 'range' } & ByteRange) | { kind: 'unsatisfiable' };

/**
 * One `bytes=` range (RFC 9110 §14.1.2): `start-end`, `start-` or the suffix `-length`; an end past the file
 * is cut to its last byte. Several ranges, another unit or a malformed header are refused (416) rather
 * than answered whole, so a client never mistakes the whole file for the part it asked for.
 */
export function rangeAsked(header: string | undefined, size: number): RangeAsked {
  if (header === undefined) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'unsatisfiable' };
  const [first, last] = [match[1], match[2]];
  if (first === '') {
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || start > end) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}
