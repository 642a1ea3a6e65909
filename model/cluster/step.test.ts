import { describe, expect, it } from 'vitest';
import type { ClusterState, PhoneState } from './clusterState.ts';
import { addSeconds, dueRestarts, lastRestartEnd } from './step.ts';

describe('addSeconds', () => {
  it("should keep the event time's UTC offset and precision when it adds the restart time", () => {
    expect(addSeconds('2014-02-26T10:24:27-08:00', 120)).toBe('2014-02-26T10:26:27-08:00');
    expect(addSeconds('2024-03-04T23:59:30+05:30', 120)).toBe('2024-03-05T00:01:30+05:30');
    expect(addSeconds('2024-03-04T09:01:01.250Z', 120)).toBe('2024-03-04T09:03:01.250Z');
    expect(addSeconds('2024-03-04T09:01:01Z', 120)).toBe('2024-03-04T09:03:01Z');
  });
});

/** A state with phones restarting until the given times (undefined: not restarting), in log order. */
function restarting(untils: Array<string | undefined>): ClusterState {
  const phones = untils.map(
    (until, i) => ({ id: `SEP00000000000${i}`, ...(until ? { restartingUntil: until } : {}) }) as PhoneState,
  );
  return { phones } as unknown as ClusterState;
}

describe('automatic restarts under way (A14)', () => {
  const untils = ['2024-03-04T09:05:00Z', '2024-03-04T09:03:00Z', undefined, '2024-03-04T09:03:00Z'];

  it('should boot the phones whose restart has ended, earliest end first and in log order on ties', () => {
    const ids = (at: string) => dueRestarts(restarting(untils), at).map((p) => p.id);
    expect(ids('2024-03-04T09:05:00Z')).toEqual(['SEP000000000001', 'SEP000000000003', 'SEP000000000000']);
    expect(ids('2024-03-04T09:04:59Z')).toEqual(['SEP000000000001', 'SEP000000000003']);
    expect(ids('2024-03-04T09:02:59Z')).toEqual([]);
  });

  it('should end the log when the latest automatic restart ends, whatever the order of the phones', () => {
    expect(lastRestartEnd(restarting(untils))).toBe('2024-03-04T09:05:00Z');
    expect(lastRestartEnd(restarting([...untils].reverse()))).toBe('2024-03-04T09:05:00Z');
    expect(lastRestartEnd(restarting([undefined]))).toBeUndefined();
    // One instant written two ways: the first phone in log order gives the settle line its time.
    expect(lastRestartEnd(restarting(['2024-03-04T09:05:00Z', '2024-03-04T10:05:00+01:00']))).toBe(
      '2024-03-04T09:05:00Z',
    );
    expect(lastRestartEnd(restarting(['2024-03-04T10:05:00+01:00', '2024-03-04T09:05:00Z']))).toBe(
      '2024-03-04T10:05:00+01:00',
    );
  });
});
