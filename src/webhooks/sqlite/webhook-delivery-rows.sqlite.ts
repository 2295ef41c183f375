import { AttemptResult, DeliveryAttempt, DeliveryStatus, WebhookDelivery } from '../webhook-delivery';

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  claimed_by: string | null;
  created_at: number;
}

export interface AttemptRow {
  seq: number;
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  ms: number;
  result: string;
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    claimedBy: row.claimed_by,
    createdAt: row.created_at,
  };
}

export function toAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    attempt: row.attempt,
    at: row.at,
    statusCode: row.status_code,
    error: row.error,
    ms: row.ms,
    result: row.result as AttemptResult,
  };
}

export function toAttemptRow(attempt: DeliveryAttempt): Omit<AttemptRow, 'seq'> {
  return {
    delivery_id: attempt.deliveryId,
    webhook_id: attempt.webhookId,
    event_id: attempt.eventId,
    attempt: attempt.attempt,
    at: attempt.at,
    status_code: attempt.statusCode,
    error: attempt.error,
    ms: attempt.ms,
    result: attempt.result,
  };
}
