/** Channel and conversation ids of the simulated workspace; the policy below points at them. */
export const SANDBOX_CHANNELS = {
  approvals: 'C0APPROVALS',
  finance: 'C0FINANCE',
  expenses: 'C0EXPENSES',
  exceptions: 'C0EXCEPTIONS',
} as const;

export const SANDBOX_TEAMS_CHANNEL = '19:approvals0sandbox@thread.tacv2';
export const SANDBOX_TEAMS_TEAM = '19:team0sandbox@thread.tacv2';

/**
 * The sandbox's policy: purchase orders in two tiers (any purchase manager,
 * then the CFO from 5,000), vendor bills, expenses (the employee's manager);
 * bill variances, customer invoices 30 days past due and failed online
 * payments for the accountants. Assign schedules an Odoo activity and
 * Resolve posts a chatter note; payment.transaction has no chatter in Odoo,
 * so a failed payment's to-do and note go on its invoice. The
 * calendar is round the clock so that fast-forwarding by "4 hours" fires a
 * 4h timer whatever the time of day the demo runs.
 */
export const SANDBOX_POLICY_YAML = `calendar:
  timeZone: UTC
  workingDays: [mon, tue, wed, thu, fri, sat, sun]
  hours: [{ start: "00:00", end: "24:00" }]

approvals:
  - id: purchase-orders
    type: purchase-order
    title: Purchase order
    slack: { channel: ${SANDBOX_CHANNELS.approvals} }
    teams: { channel: "${SANDBOX_TEAMS_CHANNEL}" }
    tiers:
      - name: Purchasing
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: CFO
        minAmount: 5000
        approvers: { users: [carla@acme.test] }
    timers:
      remind: { after: 4h, every: 1d }
      escalate: { after: 1d, to: { users: [carla@acme.test] } }
      expire: { after: 10d, outcome: close }
  - id: vendor-bills
    type: vendor-bill
    slack: { channel: ${SANDBOX_CHANNELS.finance} }
    approvers: { odooGroup: account.group_account_manager }
  - id: expenses
    type: expense
    slack: { channel: ${SANDBOX_CHANNELS.expenses} }
    approvers: { manager: { levels: 1 } }
    timers:
      remind: { after: 1d, every: 1d }

exceptions:
  - id: bill-variances
    type: bill-variance
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${SANDBOX_CHANNELS.exceptions} }
    teams: { channel: "${SANDBOX_TEAMS_CHANNEL}" }
    sla: 8h
    severity: high
    resolve: { write: { release_to_pay_manual: "yes" } }
    escalate: { to: { users: [carla@acme.test] } }
  - id: overdue-invoices
    type: overdue-invoice
    days: 30
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${SANDBOX_CHANNELS.exceptions} }
    teams: { channel: "${SANDBOX_TEAMS_CHANNEL}" }
    sla: 2d
    severity: medium
    escalate: { to: { users: [carla@acme.test] } }
  - id: failed-payments
    type: failed-payment
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${SANDBOX_CHANNELS.exceptions} }
    teams: { channel: "${SANDBOX_TEAMS_CHANNEL}" }
    sla: 4h
    severity: high
    escalate: { to: { users: [carla@acme.test] } }
`;
