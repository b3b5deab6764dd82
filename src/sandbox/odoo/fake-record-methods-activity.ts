/**
 * Activities: `mail.activity.create` (given `res_model_id`, or `res_model`
 * which the fake resolves the same way) and `action_feedback(feedback='')`,
 * which posts the "done" message on the document, deletes the activity and
 * returns the message id (`messages[0].id if messages else False`).
 */

import { escapeHtml, postChatter } from './fake-odoo-chatter.js';
import type { FakeOdooDb } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeOdooVersion } from './fake-odoo-schema.js';
import { ref } from './fake-odoo-seed.js';
import { argument, type ModelMethods, type RecordMethod } from './fake-record-methods.js';

const ACTIVITY = 'mail.activity';

/** `create` vals for an activity, checked like Odoo's required fields and target record. */
export function prepareActivity(db: FakeOdooDb, uid: number, vals: Record<string, unknown>): Record<string, unknown> {
  const out = { ...vals };
  if (!out.res_model_id && typeof out.res_model === 'string') {
    const model = db.all('ir.model').find((m) => m.model === out.res_model);
    out.res_model_id = model?.id ?? false;
  }
  delete out.res_model;
  const model = db
    .all('ir.model')
    .find((m) => m.id === (Array.isArray(out.res_model_id) ? out.res_model_id[0] : out.res_model_id));
  if (!model || typeof out.res_id !== 'number' || out.res_id <= 0) {
    throw fakeFaults.userError(
      'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n' +
        '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        `Model: Activity (mail.activity)\nField: ${model ? 'Related Document ID (res_id)' : 'Document Model (res_model_id)'}`,
    );
  }
  const target = db.browse(String(model.model), [out.res_id], uid)[0];
  if (!out.user_id) out.user_id = uid;
  // After saving, `create` tells the assignee (`message_notify`) or subscribes the author (`message_subscribe`):
  // both are mail.thread methods, which models such as payment.transaction do not have.
  if (db.model(String(model.model)).mailThread === false) {
    const method = out.user_id === uid ? 'message_subscribe' : 'message_notify';
    throw fakeFaults.server(`AttributeError: '${String(model.model)}' object has no attribute '${method}'`);
  }
  if (!out.activity_type_id) out.activity_type_id = ref(db, 'mail.mail_activity_data_todo') ?? false;
  if (!out.date_deadline) out.date_deadline = db.now().toISOString().slice(0, 10);
  if (!out.res_name && target) out.res_name = db.displayName(String(model.model), target.id);
  return out;
}

const actionFeedback: RecordMethod = (db, uid, ids, kwargs, args) => {
  const raw = argument(args, kwargs, 0, 'feedback');
  const feedback = typeof raw === 'string' ? raw : '';
  const messages: number[] = [];
  for (const activity of db.browse(ACTIVITY, ids, uid)) {
    const model = String(db.value(ACTIVITY, activity, 'res_model'));
    const typeId = Number(activity.activity_type_id) || false;
    const typeName = typeId ? db.displayName('mail.activity.type', typeId) : 'Activity';
    const note = typeof activity.note === 'string' && activity.note ? activity.note : '';
    const summary = typeof activity.summary === 'string' && activity.summary ? `: ${escapeHtml(activity.summary)}` : '';
    const body =
      `<div><p><span>${escapeHtml(typeName)}</span> done${summary}</p>` +
      (note ? `<div><b>Original note:</b></div>${note}` : '') +
      (feedback ? `<div><b>Feedback:</b></div><p>${escapeHtml(feedback)}</p>` : '') +
      '</div>';
    if (db.get(model, Number(activity.res_id))) {
      messages.push(
        postChatter(db, uid, model, Number(activity.res_id), {
          body,
          subtypeXmlId: 'mail.mt_activities',
          activityTypeId: typeId,
        }),
      );
    }
    db.unlink(ACTIVITY, [activity.id], uid);
  }
  return messages[0] ?? false;
};

export function activityMethods(_version: FakeOdooVersion): ModelMethods {
  return { [ACTIVITY]: { action_feedback: actionFeedback } };
}
