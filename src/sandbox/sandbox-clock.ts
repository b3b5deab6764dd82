import type { Clock } from '../flows/ports.js';

/**
 * The wall clock plus an offset that only grows. The service's domain reads
 * time through it (deps.clock), so "fast-forward 1 day" makes deadlines due;
 * BullMQ delays stay wall-clock, which is why fast-forward also re-queues the
 * due timers (see fastForward).
 */
export class SandboxClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Milliseconds the sandbox runs ahead of the wall clock. */
  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`fast-forward needs a positive duration (got ${ms} ms)`);
    this.offsetMs += ms;
    return this.now();
  }
}
