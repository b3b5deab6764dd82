import { initialMigration } from './001-initial.js';
import { userCredentialsMigration } from './002-user-credentials.js';
import { tiersAndDelegationsMigration } from './003-tiers-and-delegations.js';
import { teamsMigration } from './004-teams.js';
import { exceptionsMigration } from './005-exceptions.js';
import { caseInsightsMigration } from './006-case-insights.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in version order. Append new ones at the end. */
export const migrations: readonly Migration[] = [
  initialMigration,
  userCredentialsMigration,
  tiersAndDelegationsMigration,
  teamsMigration,
  exceptionsMigration,
  caseInsightsMigration,
];
