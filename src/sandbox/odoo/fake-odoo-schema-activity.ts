/**
 * Activities (`addons/mail/models/mail_activity.py`): a to-do on any record,
 * pointing at it through `res_model_id` (an `ir.model`), `res_model` and
 * `res_id`. Done activities are deleted, leaving a chatter message.
 */
import { char, computed, date, html, m2o, num, sel } from './fake-odoo-fields.js';
import type { ComputeContext, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

function activityState(activity: StoredRecord, ctx: ComputeContext): string | false {
  if (typeof activity.date_deadline !== 'string') return false;
  const today = ctx.now().toISOString().slice(0, 10);
  if (activity.date_deadline < today) return 'overdue';
  return activity.date_deadline === today ? 'today' : 'planned';
}

export function activityModels(_version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'mail.activity.type',
      description: 'Activity Type',
      order: 'sequence, id',
      recName: 'name',
      fields: {
        name: char('Name'),
        sequence: { ...num('integer', 'Sequence'), default: 10 },
        category: sel('Action', [
          ['default', 'None'],
          ['upload_file', 'Upload Document'],
          ['phonecall', 'Phonecall'],
        ]),
        delay_count: num('integer', 'Schedule'),
        res_model: char('Model'),
      },
    },
    {
      name: 'mail.activity',
      description: 'Activity',
      order: 'date_deadline asc, id asc',
      recName: 'summary',
      fields: {
        res_model_id: m2o('ir.model', 'Document Model'),
        res_model: computed(char('Related Document Model'), (a, ctx) => {
          const model = ctx.all('ir.model').find((m) => m.id === a.res_model_id);
          return model?.model ?? false;
        }),
        res_id: num('integer', 'Related Document ID'),
        res_name: char('Document Name'),
        activity_type_id: m2o('mail.activity.type', 'Activity Type'),
        user_id: m2o('res.users', 'Assigned to'),
        summary: char('Summary'),
        note: html('Note'),
        date_deadline: date('Due Date'),
        state: computed(
          sel('State', [
            ['overdue', 'Overdue'],
            ['today', 'Today'],
            ['planned', 'Planned'],
          ]),
          activityState,
        ),
      },
    },
  ];
}
