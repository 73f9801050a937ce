/**
 * Who an announcement (pengumuman) goes to: clients chosen by the sector of their business, their
 * kecamatan, the area and status of their last case and when they registered. Everything the admin
 * sees before confirming comes from here, so the count shown is the count sent.
 *
 * API (shared with the dashboard):
 *   ZAudienceFilter                      the filter, zod (dates coerced from strings)
 *   countAudience(db, filter)            { total, byChannel, optedOut, noChannel }
 *   audienceOf(db, filter)               the clients themselves: { clientId, identityId, channel, optedOut }[]
 *   filterToColumn / filterFromColumn    the filter as kept in Announcement.filterJson
 *
 * One channel per person: the identity the reminder sweep would pick (reachable first, then
 * Telegram, WhatsApp, web, then the oldest), so nobody is counted or messaged twice.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import type { Db } from "../../db/types.js";
import { readJson, writeJson, ZAnnouncementFilter, type TAnnouncementFilter } from "../../db/json-columns.js";
import { byReach } from "../reach.js";

export const CASE_STATUS_FILTERS = ["none", "open", "closed"] as const;
export type CaseStatusFilter = (typeof CASE_STATUS_FILTERS)[number];

const ZCodes = z.array(z.string().trim().min(1).max(60)).max(50);

export const ZAudienceFilter = z
  .object({
    sectors: ZCodes.optional(),
    kecamatan: ZCodes.optional(),
    /** Consultant-area code of the person's last case. */
    areas: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).max(50).optional(),
    /** Of the last case: none (never had a case), open, closed. */
    caseStatus: z.array(z.enum(CASE_STATUS_FILTERS)).max(3).optional(),
    registeredFrom: z.coerce.date().optional(),
    registeredTo: z.coerce.date().optional(),
  })
  .strict();
export type AudienceFilter = z.infer<typeof ZAudienceFilter>;

export interface AudienceCount {
  /** People it will be sent to (not opted out, reachable on some channel). */
  total: number;
  /** `total` by the channel each person will get it on. */
  byChannel: Record<string, number>;
  /** Matched, but said "berhenti info". */
  optedOut: number;
  /** Matched, but no channel reaches them (every identity unreachable, or none). */
  noChannel: number;
}

export interface AudienceMember {
  clientId: string;
  /** Null: no reachable identity. */
  identityId: string | null;
  channel: string | null;
  optedOut: boolean;
}

type Db_ = Db | Tx;

/** Clients read per query while the audience is worked out. */
export const AUDIENCE_PAGE = 500;

export function filterToColumn(f: AudienceFilter): string {
  const out: TAnnouncementFilter = {};
  if (f.sectors?.length) out.sectors = f.sectors;
  if (f.kecamatan?.length) out.kecamatan = f.kecamatan;
  if (f.areas?.length) out.areas = f.areas;
  if (f.caseStatus?.length) out.caseStatus = f.caseStatus;
  if (f.registeredFrom) out.registeredFrom = f.registeredFrom.toISOString();
  if (f.registeredTo) out.registeredTo = f.registeredTo.toISOString();
  return writeJson(ZAnnouncementFilter, out);
}

export function filterFromColumn(json: string): AudienceFilter {
  const f = readJson(ZAnnouncementFilter, json);
  return ZAudienceFilter.parse(f);
}

/** The identity a client is reached on: a reachable one of theirs, as the reminder sweep picks it (src/domain/reach.ts). */
export function pickChannel<T extends { unreachableAt: Date | null; channel: string; createdAt: Date; staffId: string | null }>(list: readonly T[]): T | null {
  return byReach(list.filter((i) => !i.unreachableAt && !i.staffId))[0] ?? null;
}

/** Every client the filter matches (not anonymised), with the channel they would get it on. */
export async function audienceOf(db: Db_, input: AudienceFilter): Promise<AudienceMember[]> {
  const f = ZAudienceFilter.parse(input);
  const createdAt = f.registeredFrom || f.registeredTo ? { ...(f.registeredFrom ? { gte: f.registeredFrom } : {}), ...(f.registeredTo ? { lte: f.registeredTo } : {}) } : undefined;
  const where = {
    anonymisedAt: null,
    ...(f.kecamatan?.length ? { kecamatan: { in: f.kecamatan } } : {}),
    ...(f.sectors?.length ? { businesses: { some: { sector: { in: f.sectors } } } } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
  const select = {
    id: true,
    announcementsOn: true,
    unreachableAt: true,
    identities: { select: { id: true, channel: true, unreachableAt: true, createdAt: true, staffId: true } },
    cases: { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1, select: { areaCode: true, closedAt: true, archivedAt: true } },
  };
  // In pages: Prisma binds every parent id into each relation's query, and SQLite takes at most
  // 999 parameters per statement in the smallest builds (as the sweep's ID_CHUNK).
  const rows = [];
  for (let cursor: string | undefined; ; ) {
    const page = await db.client.findMany({ where, select, orderBy: { id: "asc" }, take: AUDIENCE_PAGE, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}) });
    rows.push(...page);
    if (page.length < AUDIENCE_PAGE) break;
    cursor = page.at(-1)!.id;
  }
  const out: AudienceMember[] = [];
  for (const c of rows) {
    const last = c.cases[0];
    if (f.areas?.length && !(last?.areaCode && f.areas.includes(last.areaCode))) continue;
    if (f.caseStatus?.length) {
      const status: CaseStatusFilter = !last ? "none" : last.closedAt || last.archivedAt ? "closed" : "open";
      if (!f.caseStatus.includes(status)) continue;
    }
    const best = pickChannel(c.identities);
    out.push({ clientId: c.id, identityId: best?.id ?? null, channel: best?.channel ?? null, optedOut: !c.announcementsOn });
  }
  return out;
}

export async function countAudience(db: Db_, filter: AudienceFilter): Promise<AudienceCount> {
  const members = await audienceOf(db, filter);
  const count: AudienceCount = { total: 0, byChannel: {}, optedOut: 0, noChannel: 0 };
  for (const m of members) {
    if (m.optedOut) count.optedOut += 1;
    else if (!m.channel) count.noChannel += 1;
    else {
      count.total += 1;
      count.byChannel[m.channel] = (count.byChannel[m.channel] ?? 0) + 1;
    }
  }
  return count;
}
