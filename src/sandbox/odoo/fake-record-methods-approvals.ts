/**
 * Enterprise Approvals buttons, all returning None. `action_approve` and
 * `action_refuse` touch only the approver line whose `user_id` is the
 * CALLING user (`env.user`): an `approver` argument sent over RPC is not a
 * recordset, so Odoo ignores it; a caller who is no approver changes nothing.
 */
import type { FakeOdooDb } from './fake-odoo-db.js';
import { odooDatetime } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';
import type { ModelMethods, RecordMethod } from './fake-record-methods.js';

const REQUEST = 'approval.request';
const APPROVER = 'approval.approver';

function approversOf(db: FakeOdooDb, requestIds: number[]): StoredRecord[] {
  return db.all(APPROVER).filter((a) => requestIds.includes(Number(a.request_id)));
}

function setStatus(db: FakeOdooDb, uid: number, approvers: StoredRecord[], status: string): void {
  db.write(
    APPROVER,
    approvers.map((a) => a.id),
    { status },
    uid,
  );
}

const actionConfirm: RecordMethod = (db, uid, ids) => {
  for (const request of db.browse(REQUEST, ids, uid)) {
    const minimum = Number(db.value(REQUEST, request, 'approval_minimum'));
    const approvers = approversOf(db, [request.id]);
    if (approvers.length < minimum) {
      throw fakeFaults.userError(`You have to add at least ${minimum} approvers to confirm your request.`);
    }
    setStatus(
      db,
      uid,
      approvers.filter((a) => a.status === 'new'),
      'pending',
    );
    db.write(REQUEST, [request.id], { date_confirmed: odooDatetime(db.now()) }, uid);
  }
  return undefined;
};

/** Sets the caller's own approver line(s) on these requests to `status`. */
function decide(status: 'approved' | 'refused'): RecordMethod {
  return (db, uid, ids) => {
    db.browse(REQUEST, ids, uid);
    setStatus(
      db,
      uid,
      approversOf(db, ids).filter((a) => a.user_id === uid),
      status,
    );
    return undefined;
  };
}

function allApprovers(status: string, only?: (a: StoredRecord) => boolean): RecordMethod {
  return (db, uid, ids) => {
    db.browse(REQUEST, ids, uid);
    setStatus(db, uid, approversOf(db, ids).filter(only ?? (() => true)), status);
    return undefined;
  };
}

export function approvalMethods(_version: FakeOdooVersion): ModelMethods {
  return {
    [REQUEST]: {
      action_confirm: actionConfirm,
      action_approve: decide('approved'),
      action_refuse: decide('refused'),
      // The caller takes back their own decision.
      action_withdraw: (db, uid, ids) => {
        db.browse(REQUEST, ids, uid);
        setStatus(
          db,
          uid,
          approversOf(db, ids).filter((a) => a.user_id === uid),
          'pending',
        );
        return undefined;
      },
      action_draft: allApprovers('new'),
      action_cancel: allApprovers('cancel'),
    },
    [APPROVER]: {
      // The line's own buttons, as the Enterprise UI calls them: only the line's user may use them.
      action_approve: lineDecision('approved'),
      action_refuse: lineDecision('refused'),
    },
  };
}

function lineDecision(status: 'approved' | 'refused'): RecordMethod {
  return (db, uid, ids) => {
    const lines = db.browse(APPROVER, ids, uid);
    const requestIds = lines.map((l) => Number(l.request_id));
    return decide(status)(db, uid, requestIds, {}, []);
  };
}
