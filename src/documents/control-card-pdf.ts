/**
 * Kartu Kontrol Layanan (SOP step 9): one line per service contact with the client, with an empty
 * "Paraf" column for the staff member's initials on the printed card. Landscape A4.
 */
import { z } from "zod";
import { ZOfficeInfo } from "./office.js";
import { labelsFor } from "./labels.js";
import { formatDateTime, formatLongDate } from "../i18n/dates.js";
import { FONT, PdfLayout } from "./pdf/layout.js";
import { ZRenderOptions, type RenderOptions } from "./options.js";
import { sanitizePdfText } from "./text.js";

const ZDate = z.coerce.date();
const ZOptText = z.string().nullish();

export const ZControlCardEntry = z.object({
  /** Line number as kept on the card (1, 2, 3 ...). */
  no: z.number().int().min(1),
  at: ZDate,
  staffName: ZOptText,
  /** Label of the contact kind ("Konsultasi"); see contactKindLabel() in labels.ts for the codes. */
  contactKind: z.string(),
  summary: z.string(),
});
export type ControlCardEntry = z.infer<typeof ZControlCardEntry>;

export const ZControlCardData = z.object({
  office: ZOfficeInfo,
  case: z.object({
    regNumber: z.string().min(1),
    consultantName: ZOptText,
    areaLabel: ZOptText,
  }),
  client: z.object({ name: z.string(), nikMasked: ZOptText }),
  business: z.object({ name: z.string() }).nullish(),
  entries: z.array(ZControlCardEntry),
  /** When the card was printed; shown under the table. */
  printedAt: ZDate.nullish(),
  place: ZOptText,
});
export type ControlCardData = z.infer<typeof ZControlCardData>;

export async function renderControlCardPdf(data: ControlCardData, opts: RenderOptions): Promise<Buffer> {
  const d = ZControlCardData.parse(data);
  const { lang, timeZone } = ZRenderOptions.parse(opts);
  const L = labelsFor(lang);
  const C = L.controlCard;
  const none = L.common.none;
  const text = (v: string | null | undefined) => {
    const t = sanitizePdfText(v ?? "");
    return t === "" ? none : t;
  };

  const pdf = await PdfLayout.create({
    layout: "landscape",
    margins: { top: 44, bottom: 48, left: 42, right: 42 },
    info: {
      Title: `${C.title} - ${d.case.regNumber}`,
      Subject: C.documentShortName,
      Author: d.office.name,
      Keywords: d.case.regNumber,
      ...(d.printedAt ? { CreationDate: d.printedAt } : {}),
    },
    runningHeader: { left: `${d.office.name} \u2022 ${C.documentShortName}`, right: `${C.regNumber} ${d.case.regNumber}` },
    footerLeft: `${C.documentShortName} \u2022 ${C.regNumber} ${d.case.regNumber}`,
    pageOf: L.common.pageOf,
  });

  pdf.letterhead(d.office);
  pdf.centered(C.title, FONT.bold, 13);
  pdf.centered(C.subtitle, FONT.regular, 9.5);
  pdf.space(8);

  const consultant = [text(d.case.consultantName), d.case.areaLabel ? `(${sanitizePdfText(d.case.areaLabel)})` : ""]
    .filter((s) => s !== "")
    .join(" ");
  pdf.table(
    [
      { header: "", weight: 15, font: FONT.bold },
      { header: "", weight: 1.5 },
      { header: "", weight: 33.5 },
      { header: "", weight: 15, font: FONT.bold },
      { header: "", weight: 1.5 },
      { header: "", weight: 33.5 },
    ],
    [
      [C.client, ":", text(d.client.name), C.regNumber, ":", d.case.regNumber],
      [C.business, ":", text(d.business?.name), C.consultant, ":", consultant],
    ],
    { header: false, borders: false, padding: 1.8, fontSize: 9.5 },
  );
  pdf.space(6);

  pdf.table(
    [
      { header: C.no, weight: 4, align: "right" },
      { header: C.at, weight: 14.5 },
      { header: C.staff, weight: 14.5 },
      { header: C.contactKind, weight: 13 },
      { header: C.summary, weight: 45 },
      { header: C.paraf, weight: 9 },
    ],
    [...d.entries]
      .sort((a, b) => a.no - b.no)
      .map((e) => [String(e.no), formatDateTime(e.at, lang, timeZone), text(e.staffName), text(e.contactKind), text(e.summary), ""]),
    { fontSize: 8.8, padding: 4, minRowHeight: 24 },
  );

  pdf.space(4);
  const foot = [C.note];
  if (d.printedAt) {
    const date = formatLongDate(d.printedAt, lang, timeZone);
    const place = sanitizePdfText(d.place ?? "");
    foot.push(place ? L.common.placeDate(place, date) : date);
  }
  pdf.paragraph(foot.join("  "), { size: 8, font: FONT.italic, color: "#555555" });
  return pdf.finish();
}
