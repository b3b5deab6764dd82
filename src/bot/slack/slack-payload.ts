import type { ChatActor } from '../../flows/types.js';

/** A Slack user as interaction payloads carry it. */
export interface SlackPayloadUser {
  id: string;
  name?: string;
  username?: string;
  team_id?: string;
}

/** The chat actor of a Slack payload; the display name is for messages only, never for authorisation. */
export function slackActor(user: SlackPayloadUser): ChatActor {
  const name = user.name ?? user.username;
  return {
    platform: 'slack',
    userId: user.id,
    ...(user.team_id ? { teamId: user.team_id } : {}),
    ...(name ? { displayName: name } : {}),
  };
}

/** Parses a button value or private_metadata we wrote; anything else is null (then zod refuses it). */
export function parseJson(s: string | undefined): unknown {
  try {
    return s ? JSON.parse(s) : null;
  } catch {
    return null;
  }
}
