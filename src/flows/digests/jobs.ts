/**
 * Queue and job names of digests, defined once. Digests have their own queue
 * because a queue is bound to one handler per process.
 */
export const DIGEST_QUEUE = 'chatops.digests';

export const DIGEST_JOBS = {
  /** Every minute: is it digest time somewhere? Enqueues the digests that are due. */
  tick: 'digest.tick',
  flow: 'digest.flow',
  /** One exception definition's daily list of open exceptions. */
  exception: 'digest.exception',
  approver: 'digest.approver',
} as const;

/** The job scheduler id of the tick. */
export const DIGEST_TICK_ID = 'digest.tick';

/** How often the tick runs: a digest goes out within this much of its time. */
export const DIGEST_TICK_MS = 60_000;

/**
 * How late a digest may still go out (after a restart or an outage). Later
 * than this it is skipped for the day: a morning digest at 4 pm helps nobody.
 */
export const DIGEST_CATCH_UP_MINUTES = 120;

export interface FlowDigestJob {
  flowId: string;
  /** The local date (YYYY-MM-DD in the calendar's zone) this digest is for. */
  date: string;
}

export interface ExceptionDigestJob {
  definitionId: string;
  /** The local date (YYYY-MM-DD in the calendar's zone) this digest is for. */
  date: string;
}

export interface ApproverDigestJob {
  odooUserId: number;
  /** The local date (YYYY-MM-DD in the approver's zone) this digest is for. */
  date: string;
  /** The zone the date and time were read in. */
  timeZone: string;
}

/** Checkpoint keys: set once a digest went out (or was skipped as empty), so restarts and other workers do not repeat it. */
export const digestKey = {
  flow: (flowId: string, date: string) => `digest.${flowId}.${date}`,
  flowPlatform: (flowId: string, date: string, platform: string) => `digest.${flowId}.${date}.${platform}`,
  exception: (definitionId: string, date: string) => `digest.exc.${definitionId}.${date}`,
  exceptionPlatform: (definitionId: string, date: string, platform: string) =>
    `digest.exc.${definitionId}.${date}.${platform}`,
  approver: (odooUserId: number, date: string) => `digest.dm.${odooUserId}.${date}`,
  approverPlatform: (odooUserId: number, date: string, platform: string) =>
    `digest.dm.${odooUserId}.${date}.${platform}`,
};
