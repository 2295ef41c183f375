import { describe, expect, it } from 'vitest';
import { EVENT_ID_PATTERN, newEventId } from '../../src/events/event';

describe('event ids', () => {
  it('sort in the order they were made within one millisecond, as the events of one write are appended', () => {
    const ids = Array.from({ length: 50 }, () => newEventId(1_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(EVENT_ID_PATTERN);
  });

  it('sort by time first, whatever the random part', () => {
    const ids = [newEventId(2_000), newEventId(1_999), newEventId(2_001)];
    expect([...ids].sort()).toEqual([ids[1], ids[0], ids[2]]);
  });
});
