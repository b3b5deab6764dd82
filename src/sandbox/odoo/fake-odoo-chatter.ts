/** Messages business methods post on a record's chatter, as `message_post` would store them. */
import { type FakeOdooDb, odooDatetime } from './fake-odoo-db.js';
import { fakeFaults, pyTuple } from './fake-odoo-faults.js';
import { ref } from './fake-odoo-seed.js';

export interface ChatterMessage {
  body: string;
  messageType?: 'comment' | 'notification';
  subtypeXmlId?: string;
  activityTypeId?: number | false;
}

/** Stores a message on `model`/`id` authored by the calling user's partner; returns its id. */
export function postChatter(db: FakeOdooDb, uid: number, model: string, id: number, message: ChatterMessage): number {
  const author = db.get('res.users', uid)?.partner_id ?? false;
  return db.create(
    'mail.message',
    {
      model,
      res_id: id,
      body: message.body,
      author_id: author,
      message_type: message.messageType ?? 'notification',
      subtype_id: ref(db, message.subtypeXmlId ?? 'mail.mt_note') ?? false,
      mail_activity_type_id: message.activityTypeId ?? false,
      date: odooDatetime(db.now()),
    },
    uid,
  );
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c] ?? c);

/** One record or Odoo's `ensure_one` ValueError fault. */
export function single(model: string, ids: number[]): number {
  if (ids.length !== 1) throw fakeFaults.valueError(`Expected singleton: ${model}${pyTuple(ids)}`);
  return ids[0] as number;
}
