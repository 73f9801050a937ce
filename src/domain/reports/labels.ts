/**
 * The one place that turns the codes the database keeps into names people read (consultant areas,
 * services, sectors, legal forms, turnover bands, kecamatan, desa, statuses, SOP steps), in the
 * reader's language; chat cards, PDFs, the dashboard and exports all ask it. Areas, services and sectors look for the office's own text keys
 * first (`area.<code>`; `service.<code>` or `opt.service.<code>`; `sector.<code>` or
 * `opt.sector.<code>`), then for the report's own (`report.area.<code>`, ...); statuses and steps
 * use the staff wording (`report.status.*`, `report.step.*`) before `status.*` / `step.*`. Failing
 * all, the code itself is shown, so a new code never breaks a report.
 */
import type { Translator } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";

/** Gianyar's kecamatan (Kemendagri codes), used when no regions file is given. */
/** The kecamatan the labeler names when no regions file is loaded (Gianyar's), codes with "luar" (outside) last. */
export function knownKecamatanCodes(): string[] {
  return [...Object.keys(GIANYAR_KECAMATAN), "luar"];
}

const GIANYAR_KECAMATAN: Record<string, string> = {
  "510401": "Sukawati",
  "510402": "Blahbatuh",
  "510403": "Gianyar",
  "510404": "Tampaksiring",
  "510405": "Ubud",
  "510406": "Tegallalang",
  "510407": "Payangan",
};

export interface Labeler {
  area(code: string | null | undefined): string;
  service(code: string): string;
  sector(code: string | null | undefined): string;
  kecamatan(code: string | null | undefined): string;
  /** A desa/kelurahan by its ten-digit code (the regions file), else the value as given. */
  desa(code: string | null | undefined): string;
  legalForm(code: string | null | undefined): string;
  turnover(code: string | null | undefined): string;
  status(status: string): string;
  step(step: number): string;
  skmElement(code: string): string;
  role(role: string): string;
  /** A text of this translator (or the key when there is none). */
  t(key: string, params?: Record<string, string | number>): string;
}

function humanise(code: string): string {
  const s = code.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** camelCase element codes ("complaintHandling") as text-key parts ("complaint_handling"). */
export function keyPart(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_");
}

export function makeLabeler(t?: Translator, regions?: Regions): Labeler {
  const lookup = (keys: string[]): string | undefined => {
    if (!t) return undefined;
    for (const k of keys) {
      const v = t.texts[t.lang][k] ?? t.texts.id[k];
      if (v !== undefined) return t.t(k);
    }
    return undefined;
  };
  const none = () => lookup(["report.none"]) ?? "-";
  const lang = t?.lang ?? "id";
  return {
    area: (code) => (code ? lookup([`area.${keyPart(code)}`, `report.area.${keyPart(code)}`]) ?? humanise(code) : lookup(["report.unassigned"]) ?? "-"),
    service: (code) => lookup([`service.${keyPart(code)}`, `opt.service.${keyPart(code)}`, `report.service.${keyPart(code)}`]) ?? humanise(code),
    sector: (code) =>
      code ? lookup([`sector.${keyPart(code)}`, `opt.sector.${keyPart(code)}`, `report.sector.${keyPart(code)}`]) ?? humanise(code) : none(),
    kecamatan: (code) => {
      if (!code) return none();
      if (regions) {
        if (code === regions.outside.code) return regions.outside.label[lang];
        const k = regions.kecamatan.find((x) => x.code === code);
        if (k) return k.name;
      }
      if (code === "luar") return lookup(["report.kecamatan.luar"]) ?? "Luar Gianyar";
      return GIANYAR_KECAMATAN[code] ?? code;
    },
    desa: (code) => {
      if (!code) return none();
      for (const k of regions?.kecamatan ?? []) {
        const d = k.desa.find((x) => x.code === code);
        if (d) return d.name;
      }
      return code;
    },
    legalForm: (code) => (code ? lookup([`legal.${keyPart(code)}`, `opt.legal.${keyPart(code)}`]) ?? humanise(code) : none()),
    turnover: (code) => (code ? lookup([`turnover.${keyPart(code)}`, `opt.turnover.${keyPart(code)}`]) ?? humanise(code) : none()),
    // Staff read the office's own status words (report.status.*); status.* are the client's.
    status: (status) => lookup([`report.status.${keyPart(status)}`, `status.${keyPart(status)}`]) ?? humanise(status),
    step: (step) => lookup([`report.step.${step}`, `step.${step}`]) ?? String(step),
    skmElement: (code) => lookup([`skm.${keyPart(code)}`, `report.skm.${keyPart(code)}`]) ?? humanise(code),
    role: (role) => lookup([`report.role.${keyPart(role)}`]) ?? humanise(role),
    t: (key, params) => (t ? t.t(key, params) : key),
  };
}
