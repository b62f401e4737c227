/**
 * Triage of one support ticket: read it from the ticket store, ask the model for a label and a one-sentence
 * summary (JSON schema response format, official `openai` SDK), and route it. What a failure of either dependency
 * does is the difference between the careful and the careless configuration (`TriagePolicy`).
 */
import OpenAI from 'openai';

export const LABELS = ['billing', 'shipping', 'account', 'bug'] as const;
/** The label of a ticket the service could not triage: a person reads it. */
export const HUMAN_QUEUE = 'needs_human';

export interface Triage {
  ticket_id: string;
  label: string;
  summary: string;
  /** True when the ticket went to the human queue because a dependency failed. */
  routed_to_human: boolean;
  reason?: string;
}

/**
 * careful: checks the ticket store's answer, waits out a model 429 when its `retry-after-ms` is within
 * `maxWaitMs` (once), and routes the ticket to people when a dependency fails; careless: uses the ticket store's
 * JSON as it comes and leaves 429s to the SDK's default retries, answering 502 when they run out.
 */
export type TriagePolicy = 'careful' | 'careless';

export class DependencyError extends Error {
  readonly status = 502;
}

interface Ticket {
  subject: string;
  body: string;
}

export interface TriageOptions {
  policy: TriagePolicy;
  ticketsUrl: string;
  model: OpenAI;
  /** Longest model `retry-after` the careful policy waits, ms. */
  maxWaitMs: number;
}

const isTicket = (v: unknown): v is Ticket =>
  typeof v === 'object' && v !== null && typeof (v as Ticket).subject === 'string' && typeof (v as Ticket).body === 'string';

async function readTicket(id: string, o: TriageOptions): Promise<Ticket> {
  const response = await fetch(`${o.ticketsUrl}/tickets/${encodeURIComponent(id)}`, {
    signal: o.policy === 'careful' ? AbortSignal.timeout(500) : undefined,
  });
  const body: unknown = await response.json();
  if (o.policy === 'careless') return body as Ticket;
  if (!response.ok || !isTicket(body)) throw new DependencyError(`the ticket store answered ${response.status} without a ticket`);
  return body;
}

async function askModel(ticket: Ticket, o: TriageOptions): Promise<{ label: string; summary: string }> {
  const request = () =>
    o.model.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: `Triage the support ticket. Label: ${LABELS.join(', ')}. Summarize it in one sentence.` },
        { role: 'user', content: `Ticket:\n${ticket.subject}. ${ticket.body}` },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'triage',
          strict: true,
          schema: {
            type: 'object',
            required: ['label', 'summary'],
            properties: { label: { type: 'string', enum: [...LABELS] }, summary: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
    });
  let completion;
  try {
    completion = await request();
  } catch (error) {
    const waitMs = Number((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after-ms'));
    if (!(o.policy === 'careful' && error instanceof OpenAI.RateLimitError && waitMs > 0 && waitMs <= o.maxWaitMs)) throw error;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    completion = await request();
  }
  const answer = JSON.parse(completion.choices[0]?.message.content ?? '{}') as { label?: unknown; summary?: unknown };
  if (typeof answer.label !== 'string' || typeof answer.summary !== 'string') throw new Error('the model answered no label and summary');
  return { label: answer.label, summary: answer.summary };
}

/** Triages ticket `id`; the careful policy never throws for a dependency's failure, the careless one does. */
export async function triage(id: string, o: TriageOptions): Promise<Triage> {
  try {
    const ticket = await readTicket(id, o);
    const { label, summary } = await askModel(ticket, o);
    return { ticket_id: id, label, summary, routed_to_human: false };
  } catch (error) {
    if (o.policy === 'careless') throw new DependencyError((error as Error).message, { cause: error });
    return { ticket_id: id, label: HUMAN_QUEUE, summary: '', routed_to_human: true, reason: (error as Error).message };
  }
}
