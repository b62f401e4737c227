/**
 * The ticket store the triage service reads, as msw handlers: the module a scenario gives `fakes.custom({ handlers })`.
 * The fakes process imports it and serves these handlers on the `tickets` dependency's own port, behind its own
 * Toxiproxy proxy, so modes (error_body, http_error) and toxics work on it as on the built-in fakes.
 *
 *   GET /tickets/:id → 200 {"id", "subject", "body", "customer"}; 404 {"error": {...}} for an unknown id.
 */
import { http, HttpResponse } from 'msw';

/** The tickets, by id. The expected triage label of each is what a careful service answers. */
export const TICKETS: Readonly<Record<string, { subject: string; body: string; customer: string; label: string }>> = Object.freeze({
  'T-1001': {
    subject: 'Charged twice',
    body: 'My billing statement shows two charges for the March invoice. Please refund the duplicate billing charge.',
    customer: 'c-17',
    label: 'billing',
  },
  'T-1002': {
    subject: 'Parcel missing',
    body: 'The shipping label was printed a week ago but the parcel never left the depot. The shipping page shows no update.',
    customer: 'c-23',
    label: 'shipping',
  },
});

export default [
  http.get('/tickets/:id', ({ params }) => {
    const ticket = TICKETS[String(params.id)];
    if (!ticket) return HttpResponse.json({ error: { message: `no ticket ${String(params.id)}`, code: 'not_found' } }, { status: 404 });
    return HttpResponse.json({ id: params.id, subject: ticket.subject, body: ticket.body, customer: ticket.customer });
  }),
];
