/**
 * Where the registration form's answers live: store paths (conversations/flows) <-> columns of
 * Client and Business. NIK is kept encrypted with a keyed hash for lookups and the last four digits
 * for masked display; phone, e-mail and address are sealed (src/security/at-rest.ts), the phone with
 * a keyed hash too.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { decryptText, encryptText, lookupHash, phoneLookupHash } from "../../security/crypto.js";
import { seal, unsealOpt } from "../../security/at-rest.js";
import { dateOnly } from "../../shared/time.js";
import { readJson, ZBusinessMarketing, writeJson } from "../../db/json-columns.js";

const str = z.string().trim().min(1).max(2000);
const optStr = str.optional();

/** The client part of a submission, validated at the boundary between the engine and the database. */
export const ZClientData = z.object({
  "client.fullName": optStr,
  "client.nik": z.string().regex(/^\d{16}$/).optional(),
  "client.sex": z.enum(["L", "P"]).optional(),
  "client.birthDate": z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  "client.phone": z.string().regex(/^\+\d{8,15}$/).optional(),
  "client.email": z.string().email().optional(),
  "client.address": optStr,
  "client.kecamatan": optStr,
  "client.desa": optStr,
  "client.plutMemberNo": optStr,
});

export const ZBusinessData = z.object({
  "business.name": optStr,
  "business.sector": optStr,
  "business.sectorOther": optStr,
  "business.products": optStr,
  "business.legalForm": optStr,
  "business.nibTdp": optStr,
  "business.yearStarted": z.number().int().min(1900).max(2100).optional(),
  "business.workers": z.number().int().min(0).max(100_000).optional(),
  "business.turnoverBand": optStr,
  "business.marketing": z.array(z.string()).optional(),
  "business.location": z.object({ latitude: z.number(), longitude: z.number() }).optional(),
});

export type ClientData = z.infer<typeof ZClientData>;
export type BusinessData = z.infer<typeof ZBusinessData>;

/** Pick only the keys of a schema from the engine's data record (the engine may carry more). */
export function pick<S extends z.ZodObject>(schema: S, data: Record<string, unknown>): z.infer<S> {
  const keys = Object.keys(schema.shape);
  const picked: Record<string, unknown> = {};
  for (const k of keys) if (data[k] !== undefined && data[k] !== null && data[k] !== "") picked[k] = data[k];
  return schema.parse(picked);
}

export function clientColumns(d: ClientData, key: Buffer) {
  return {
    ...(d["client.fullName"] !== undefined && { fullName: d["client.fullName"] }),
    ...(d["client.nik"] !== undefined && {
      nikCipher: encryptText(key, d["client.nik"]),
      nikHash: lookupHash(key, d["client.nik"]),
      nikLast4: d["client.nik"].slice(-4),
    }),
    ...(d["client.sex"] !== undefined && { sex: d["client.sex"] }),
    ...(d["client.birthDate"] !== undefined && { birthDate: dateOnly(d["client.birthDate"]) }),
    // Sealed at rest, with a blind index for the phone (searchClients finds a client by it).
    ...(d["client.phone"] !== undefined && { phone: seal(d["client.phone"], key), phoneHash: phoneLookupHash(key, d["client.phone"]) }),
    ...(d["client.email"] !== undefined && { email: seal(d["client.email"], key) }),
    ...(d["client.address"] !== undefined && { address: seal(d["client.address"], key) }),
    ...(d["client.kecamatan"] !== undefined && { kecamatan: d["client.kecamatan"] }),
    ...(d["client.desa"] !== undefined && { desa: d["client.desa"] }),
    ...(d["client.plutMemberNo"] !== undefined && { plutMemberNo: d["client.plutMemberNo"] }),
  };
}

export function businessColumns(d: BusinessData) {
  return {
    ...(d["business.name"] !== undefined && { name: d["business.name"] }),
    ...(d["business.sector"] !== undefined && { sector: d["business.sector"] }),
    ...(d["business.sectorOther"] !== undefined && { sectorOther: d["business.sectorOther"] }),
    ...(d["business.products"] !== undefined && { products: d["business.products"] }),
    ...(d["business.legalForm"] !== undefined && { legalForm: d["business.legalForm"] }),
    ...(d["business.nibTdp"] !== undefined && { nibTdp: d["business.nibTdp"] }),
    ...(d["business.yearStarted"] !== undefined && { yearStarted: d["business.yearStarted"] }),
    ...(d["business.workers"] !== undefined && { workers: d["business.workers"] }),
    ...(d["business.turnoverBand"] !== undefined && { turnoverBand: d["business.turnoverBand"] }),
    ...(d["business.marketing"] !== undefined && { marketingJson: writeJson(ZBusinessMarketing, d["business.marketing"]) }),
    ...(d["business.location"] !== undefined && { latitude: d["business.location"].latitude, longitude: d["business.location"].longitude }),
  };
}

/** What is on file for a client, by store path, so the forms do not ask it again. */
export async function knownProfile(tx: Tx, clientId: string, key: Buffer): Promise<Record<string, unknown>> {
  const c = await tx.client.findUnique({ where: { id: clientId }, include: { businesses: { orderBy: { updatedAt: "desc" }, take: 1 } } });
  if (!c || c.anonymisedAt) return {};
  const b = c.businesses[0];
  const out: Record<string, unknown> = {
    "client.fullName": c.fullName,
    "client.sex": c.sex,
    "client.birthDate": c.birthDate?.toISOString().slice(0, 10),
    "client.phone": unsealOpt(c.phone, key),
    "client.email": unsealOpt(c.email, key),
    "client.address": unsealOpt(c.address, key),
    "client.kecamatan": c.kecamatan,
    "client.desa": c.desa,
    "client.plutMemberNo": c.plutMemberNo,
    "client.nik": c.nikCipher ? decryptText(key, c.nikCipher) : undefined,
  };
  if (b) {
    Object.assign(out, {
      "business.name": b.name,
      "business.sector": b.sector,
      "business.sectorOther": b.sectorOther,
      "business.products": b.products,
      "business.legalForm": b.legalForm,
      "business.nibTdp": b.nibTdp,
      "business.yearStarted": b.yearStarted,
      "business.workers": b.workers,
      "business.turnoverBand": b.turnoverBand,
      "business.marketing": readJson(ZBusinessMarketing, b.marketingJson),
    });
  }
  const hasIdentityDoc = await tx.document.findFirst({
    where: { clientId, deletedAt: null, type: { in: IDENTITY_TYPES as unknown as string[] } },
    select: { type: true },
  });
  if (hasIdentityDoc) out["document.identityType"] = hasIdentityDoc.type;
  for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
  return out;
}

/** Identity documents the SOP accepts (Persyaratan 1); one is required. */
export const IDENTITY_TYPES = ["ktp", "kk", "passport", "sim", "plut_card"] as const;
/** Optional company papers (Persyaratan 2). */
export const SUPPORTING_TYPES = ["company_profile", "tdp_nib", "deed"] as const;
