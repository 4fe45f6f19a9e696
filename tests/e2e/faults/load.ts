import { randomUUID } from "node:crypto";

/** A fresh engagement under a fresh key, as one Morph delivery. */
export function engagementDelivery(title: string) {
  const id = randomUUID();
  const body = JSON.stringify({
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id,
      fields: { type: "note", title, startedAt: new Date().toISOString() },
      updatedAt: new Date().toISOString(),
    },
  });
  return { id, body };
}

/** A snapshot of engagement `id` as of minute `minute` of one morning: later minutes are newer. */
export function snapshot(id: string, minute: number) {
  return JSON.stringify({
    event: "crmEngagement::updated",
    data: {
      object: "resource",
      model: "crmEngagement",
      id,
      fields: { type: "call", title: `version ${minute}`, startedAt: "2025-03-06T09:00:00.000Z" },
      updatedAt: new Date(Date.UTC(2025, 2, 6, 9, minute)).toISOString(),
    },
  });
}

export function postDelivery(url: string, owner: string, key: string, body: string) {
  return fetch(`${url}/api/webhooks/morph`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-conector-id": "hubspot",
      "x-owner-id": owner,
      "x-idempotency-key": key,
    },
    body,
  });
}

export type LoadResult = {
  /** Engagement ids answered 200. */
  acknowledged: string[];
  /** Every answer's status with when it was sent, for "accepted before the signal" checks. */
  answers: { status: number; sentAt: number }[];
  failures: number;
};

/**
 * `workers` senders posting new engagements to `urls` in turn until `until()` says stop. A
 * request that fails on the socket is not acknowledged: the sender would retry.
 */
export async function sendLoad(
  urls: string[],
  owner: string,
  workers: number,
  until: () => boolean,
): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: [], answers: [], failures: 0 };
  let turn = 0;
  const worker = async () => {
    while (!until()) {
      const url = urls[turn++ % urls.length]!;
      const { id, body } = engagementDelivery(`load ${owner}`);
      const sentAt = Date.now();
      try {
        const response = await postDelivery(url, owner, id, body);
        await response.arrayBuffer();
        result.answers.push({ status: response.status, sentAt });
        if (response.status === 200) result.acknowledged.push(id);
      } catch {
        result.failures++;
        // A process that is gone refuses at once: don't spin on it.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return result;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
