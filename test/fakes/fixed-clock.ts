import type { Clock } from '../../src/flows/ports.js';

/** A clock that only moves when a test moves it. */
export class FixedClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2026-11-25T10:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }

  set(date: Date | string): void {
    this.ms = new Date(date).getTime();
  }
}
