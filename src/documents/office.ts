/**
 * The office that issues the documents. Passed into every renderer as data, never hard-coded in
 * a renderer: the app may override any field (from configuration or an office setting).
 */
import { z } from "zod";

export const ZOfficeInfo = z.object({
  /** The unit that serves the client, e.g. "UPT PLUT-KUMKM Kabupaten Gianyar". */
  name: z.string().min(1),
  /** The agency above it, e.g. "Dinas Koperasi dan UKM Kabupaten Gianyar". */
  parent: z.string().min(1),
  address: z.string().min(1),
  phone: z.string().min(1),
  /** Optional line above the parent in the letterhead, e.g. "Pemerintah Kabupaten Gianyar". */
  government: z.string().min(1).nullish(),
  email: z.string().min(1).nullish(),
  website: z.string().min(1).nullish(),
});
export type OfficeInfo = z.infer<typeof ZOfficeInfo>;

/** The office as written in the Standar Pelayanan (Dinas Koperasi dan UKM Kabupaten Gianyar). */
export const DEFAULT_OFFICE: Readonly<OfficeInfo> = Object.freeze({
  name: "UPT PLUT-KUMKM Kabupaten Gianyar",
  parent: "Dinas Koperasi dan UKM Kabupaten Gianyar",
  address: "Jl. Sahadewa No. 1, Gianyar 80511",
  phone: "0361 941571",
  government: "Pemerintah Kabupaten Gianyar",
  email: "Plut.kabgianyar@gmail.com",
  website: "plutkumkmgianyar.com",
});
