import type { FlowDeps } from '../flows/deps.js';
import type { SandboxClock } from './sandbox-clock.js';
import type { SandboxWorld } from './sandbox-world.js';

type Json = Record<string, unknown>;

/** Documents the sandbox policy has flows or exceptions for, shown in the Odoo pane. */
const ODOO_MODELS: Array<{ model: string; label: string; keep?: (r: Json) => boolean; extra?: (r: Json) => Json }> = [
  { model: 'purchase.order', label: 'Purchase orders' },
  {
    model: 'account.move',
    label: 'Vendor bills',
    keep: (r) => r.move_type === 'in_invoice',
    extra: (r) => ({ release_to_pay: r.release_to_pay, release_to_pay_manual: r.release_to_pay_manual }),
  },
  { model: 'hr.expense.sheet', label: 'Expense reports' },
  {
    model: 'account.move',
    label: 'Customer invoices',
    keep: (r) => r.move_type === 'out_invoice',
    extra: (r) => ({ due: r.invoice_date_due, payment_state: r.payment_state }),
  },
  {
    model: 'payment.transaction',
    label: 'Payment transactions',
    extra: (r) => ({ provider_message: r.state_message || null }),
  },
];

/** The fake Odoo lists no records by model, so ids are walked until a run of gaps. */
function allRecords(world: SandboxWorld, model: string): Json[] {
  const out: Json[] = [];
  for (let id = 1, misses = 0; misses < 25 && id < 5000; id++) {
    const r = world.odoo.record(model, id);
    if (!r) misses++;
    else {
      misses = 0;
      out.push(r as Json);
    }
  }
  return out;
}

function nameOf(world: SandboxWorld, model: string, id: unknown): string | null {
  return typeof id === 'number' ? String(world.odoo.record(model, id)?.name ?? `#${id}`) : null;
}

/** Everything the page shows, as one JSON document: people, Slack, Teams, Odoo and the audit log. */
export async function sandboxState(world: SandboxWorld, deps: FlowDeps, clock: SandboxClock): Promise<Json> {
  const slackName = (id: string) =>
    world.people.find((p) => p.slackId === id)?.name ?? (id === world.slack.botUserId ? 'Odoo Approvals (bot)' : id);
  const channels = new Map<string, { id: string; name: string; dm: boolean; messages: Json[] }>();
  for (const m of world.slack.messages()) {
    if (m.deleted) continue;
    let ch = channels.get(m.channel);
    if (!ch) {
      const dm = m.channel.startsWith('D');
      const who = world.people.find((p) => world.slack.dmChannelOf(p.slackId) === m.channel);
      ch = { id: m.channel, name: dm ? `DM: ${who?.name ?? m.channel}` : m.channel, dm, messages: [] };
      channels.set(m.channel, ch);
    }
    ch.messages.push({
      ts: m.ts,
      author: slackName(m.user),
      text: m.text,
      blocks: m.blocks ?? null,
      edits: m.history.length - 1,
      threadTs: m.threadTs ?? null,
    });
  }
  const channelNames: Record<string, string> = {
    C0APPROVALS: '#approvals',
    C0FINANCE: '#finance',
    C0EXPENSES: '#expenses',
    C0EXCEPTIONS: '#billing-exceptions',
  };
  for (const ch of channels.values()) if (channelNames[ch.id]) ch.name = channelNames[ch.id]!;

  const teamsName = (id: string) =>
    world.people.find((p) => p.teams.id === id || `a:1${p.teams.aadObjectId.replace(/-/g, '')}` === id)?.name;
  const teams = [...world.teams.conversations.keys()].map((id) => ({
    id,
    name: id.startsWith('a:') ? `Chat: ${teamsName(id) ?? id}` : 'Approvals (team channel)',
    activities: world.teams.activities(id).map((a) => {
      const attachment = (a.attachments as Json[] | undefined)?.[0];
      return { id: a.id, text: a.text ?? null, card: attachment?.content ?? null };
    }),
  }));

  const odoo = ODOO_MODELS.map(({ model, label, keep, extra }) => ({
    model,
    label,
    records: allRecords(world, model)
      .filter((r) => !keep || keep(r))
      .map((r) => ({
        id: r.id,
        // payment.transaction is named by its reference (`_rec_name`).
        name: r.name ?? r.reference,
        state: r.state,
        extra: extra ? extra(r) : {},
        partner: nameOf(world, 'res.partner', r.partner_id) ?? nameOf(world, 'hr.employee', r.employee_id),
        amount: r.amount_total ?? r.total_amount ?? r.amount ?? null,
        chatter: world.odoo.messages(model, Number(r.id)).map((m) => ({
          date: m.date,
          author: nameOf(world, 'res.partner', m.author_id),
          body: String(m.body ?? ''),
        })),
        activities: world.odoo.activities(model, Number(r.id)).map((a) => ({
          summary: a.summary,
          user: nameOf(world, 'res.users', a.user_id),
        })),
      })),
  }));

  const audit: Json[] = [];
  for await (const e of deps.audit.entries())
    audit.push({ seq: e.seq, at: e.at, type: e.type, caseId: e.caseId, actor: e.actor, data: e.data });

  return {
    now: clock.now().toISOString(),
    offsetMs: clock.offset,
    people: world.people.map((p) => ({
      key: p.key,
      name: p.name,
      email: p.email,
      role: p.role,
      groups: p.groups,
      slackId: p.slackId,
      slackDm: world.slack.dmChannelOf(p.slackId) ?? null,
    })),
    slack: [...channels.values()],
    teams,
    odoo,
    audit: audit.slice(-200),
  };
}
