import { randomUUID } from 'node:crypto';
import type { Clock, NewDelegation } from '../../src/flows/ports.js';
import type { Delegation } from '../../src/flows/types.js';

/** `PgDelegations` in memory, for `InMemoryStore`: the same window rule and ordering. */
export class InMemoryDelegations {
  private readonly rows: Delegation[] = [];

  constructor(private readonly clock: Clock) {}

  add(input: NewDelegation): Delegation {
    const d: Delegation = { id: randomUUID(), ...structuredClone(input), createdAt: this.clock.now() };
    this.rows.push(d);
    return structuredClone(d);
  }

  /** Only chat delegations from this user still running after `at`. */
  end(fromOdooUserId: number, at: Date): number {
    let ended = 0;
    for (const d of this.rows) {
      if (d.fromOdooUserId !== fromOdooUserId || d.source !== 'chat' || d.endsAt <= at) continue;
      d.endsAt = new Date(at);
      ended += 1;
    }
    return ended;
  }

  /** `startsAt <= activeAt < endsAt`, by start, then creation. */
  list(filter: { activeAt: Date; fromOdooUserId?: number }): Delegation[] {
    return (
      this.rows
        .filter(
          (d) =>
            d.startsAt <= filter.activeAt &&
            d.endsAt > filter.activeAt &&
            (filter.fromOdooUserId === undefined || d.fromOdooUserId === filter.fromOdooUserId),
        )
        // A stable sort on the rows in insertion order: ties stay in creation order.
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
        .map((d) => structuredClone(d))
    );
  }
}
