export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long it stays open before one trial request. Default 60 s. */
  coolDownMs?: number;
  now?: () => number;
}

/**
 * Stops calling a provider that keeps failing: after `failureThreshold`
 * consecutive failures nothing is sent for `coolDownMs`, then one trial
 * request decides whether it closes again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trial = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.failures < this.threshold) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half_open';
  }

  /** Whether a request may go out now; in half-open state only one at a time. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.trial) return false;
    this.trial = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trial = false;
  }

  failure(): void {
    this.trial = false;
    this.failures += 1;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.coolDownMs;
  }
}
