/**
 * How the office reaches a person who has several chats (identities): the one a reminder, a digest
 * or an announcement goes to, and what the channels are called where staff read them.
 */

/** The channels in the order a person is reached on when they have several. */
export const REACH_ORDER = ["telegram", "whatsapp", "web"] as const;

/** A person's identities, best first: reachable ones first, then by channel (REACH_ORDER), then the oldest. */
export function byReach<T extends { unreachableAt: Date | null; channel: string; createdAt: Date }>(list: readonly T[]): T[] {
  const rank = (i: T) => (i.unreachableAt ? 100 : 0) + (REACH_ORDER.indexOf(i.channel as never) + 1 || 9);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.createdAt.getTime() - b.createdAt.getTime());
}

/** Channels by their own names (brands: the same in every language). */
export function channelDisplayName(channel: string): string {
  return ({ telegram: "Telegram", whatsapp: "WhatsApp", web: "Web chat" } as Record<string, string>)[channel] ?? channel;
}
