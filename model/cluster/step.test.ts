import { describe, expect, it } from 'vitest';
import { addSeconds } from './step.ts';

describe('addSeconds', () => {
  it("should keep the event time's UTC offset and precision when it adds the restart time", () => {
    expect(addSeconds('2014-02-26T10:24:27-08:00', 120)).toBe('2014-02-26T10:26:27-08:00');
    expect(addSeconds('2024-03-04T23:59:30+05:30', 120)).toBe('2024-03-05T00:01:30+05:30');
    expect(addSeconds('2024-03-04T09:01:01.250Z', 120)).toBe('2024-03-04T09:03:01.250Z');
    expect(addSeconds('2024-03-04T09:01:01Z', 120)).toBe('2024-03-04T09:03:01Z');
  });
});
