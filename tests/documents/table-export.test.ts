import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { toCsv, toXlsx, safeSheetName, type TableColumn } from "../../src/documents/table-export.js";
import { wita } from "./fixtures.js";

/** A tiny RFC 4180 parser: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const columns: TableColumn[] = [
  { key: "reg", header: "No. Registrasi" },
  { key: "name", header: "Nama Pengguna Jasa" },
  { key: "note", header: "Catatan" },
  { key: "at", header: "Tanggal (WITA)" },
  { key: "n", header: "Jumlah" },
];

const rows: Record<string, unknown>[] = [
  { reg: "PLUT-GIA-2026-000123", name: "Ni Luh Putu Ayu Wulandari", note: "Kopi bubuk, kemasan 250 g", at: wita("2026-11-28T14:05"), n: 3 },
  { reg: "PLUT-GIA-2026-000124", name: 'I Ketut "Tut" Arsana', note: "baris satu\nbaris dua", at: null, n: -5 },
  { reg: "PLUT-GIA-2026-000125", name: "=HYPERLINK(\"http://x\",\"klik\")", note: "+62 812 3456", at: undefined, n: 2.5 },
  { reg: "PLUT-GIA-2026-000126", name: "@SUM(A1:A2)", note: "-10% omzet 📉", at: new Date("invalid"), n: Number.NaN },
  { reg: "PLUT-GIA-2026-000127", name: "Gede Ésa", note: "\tTAB", at: wita("2026-01-01T00:00"), n: 0 },
];

describe("toCsv", () => {
  const csv = toCsv(columns, rows);

  it("starts with a UTF-8 BOM and ends every record with CRLF", () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith("\r\n")).toBe(true);
    // The only bare LF is the one inside a quoted field.
    expect(csv.replace(/\r\n/g, "").split("\n")).toHaveLength(2);
  });

  it("quotes fields with commas, quotes and line breaks (RFC 4180)", () => {
    expect(csv).toContain('"Kopi bubuk, kemasan 250 g"');
    expect(csv).toContain('"I Ketut ""Tut"" Arsana"');
    expect(csv).toContain('"baris satu\nbaris dua"');
    expect(csv).toContain("\r\nPLUT-GIA-2026-000123,Ni Luh Putu Ayu Wulandari,");
  });

  it("writes dates as local WITA time and blanks for null, invalid dates and NaN", () => {
    const parsed = parseCsv(csv.slice(1));
    expect(parsed[1]?.[3]).toBe("2026-11-28 14:05");
    expect(parsed[5]?.[3]).toBe("2026-01-01 00:00");
    expect(parsed[2]?.[3]).toBe("");
    expect(parsed[3]?.[3]).toBe("");
    expect(parsed[4]?.[3]).toBe("");
    expect(parsed[4]?.[4]).toBe("");
  });

  it("neutralises formula injection in strings only", () => {
    const parsed = parseCsv(csv.slice(1));
    expect(parsed[3]?.[1]).toBe("'=HYPERLINK(\"http://x\",\"klik\")");
    expect(parsed[3]?.[2]).toBe("'+62 812 3456");
    expect(parsed[4]?.[1]).toBe("'@SUM(A1:A2)");
    expect(parsed[4]?.[2]).toBe("'-10% omzet 📉");
    expect(parsed[5]?.[2]).toBe("'\tTAB");
    // Numbers are numbers, not text: a negative number stays as it is.
    expect(parsed[2]?.[4]).toBe("-5");
    expect(parsed[3]?.[4]).toBe("2.5");
  });

  it("round-trips through an RFC 4180 parser", () => {
    const parsed = parseCsv(csv.slice(1));
    expect(parsed).toHaveLength(rows.length + 1);
    expect(parsed[0]).toEqual(columns.map((c) => c.header));
    expect(parsed[1]).toEqual(["PLUT-GIA-2026-000123", "Ni Luh Putu Ayu Wulandari", "Kopi bubuk, kemasan 250 g", "2026-11-28 14:05", "3"]);
    expect(parsed[2]).toEqual(["PLUT-GIA-2026-000124", 'I Ketut "Tut" Arsana', "baris satu\nbaris dua", "", "-5"]);
    expect(parsed[5]?.[1]).toBe("Gede Ésa");
    for (const r of parsed) expect(r).toHaveLength(columns.length);
  });

  it("honours the delimiter, BOM and time zone options", () => {
    const out = toCsv(columns.slice(2, 4), [{ note: "a;b", at: wita("2026-11-28T14:05") }], {
      delimiter: ";",
      bom: false,
      timeZone: "Asia/Jakarta",
    });
    expect(out).toBe('Catatan;Tanggal (WITA)\r\n"a;b";2026-11-28 13:05\r\n');
  });

  it("formats booleans, arrays and objects", () => {
    const out = toCsv(
      [
        { key: "b", header: "b" },
        { key: "a", header: "a" },
        { key: "o", header: "o" },
      ],
      [{ b: true, a: ["Pemasaran", "=x", wita("2026-11-28T14:05")], o: { k: 1 } }],
      { bom: false },
    );
    expect(parseCsv(out)[1]).toEqual(["true", "Pemasaran; =x; 2026-11-28 14:05", '{"k":1}']);
    // The joined text starts with a letter, so no prefix; a joined text starting with = gets one.
    const inj = toCsv([{ key: "a", header: "a" }], [{ a: ["=x", "y"] }], { bom: false });
    expect(parseCsv(inj)[1]).toEqual(["'=x; y"]);
  });

  it("writes just the header for no rows", () => {
    expect(toCsv(columns.slice(0, 2), [])).toBe("\uFEFFNo. Registrasi,Nama Pengguna Jasa\r\n");
  });
});

describe("toXlsx", () => {
  it("writes one sheet per table with headers, values, formats and a frozen header", async () => {
    const buf = await toXlsx([
      {
        name: "Kasus",
        columns: [
          { key: "reg", header: "No. Registrasi" },
          { key: "at", header: "Tanggal" },
          { key: "share", header: "Sesuai Standar", numFmt: "0.0%" },
          { key: "note", header: "Catatan" },
        ],
        rows: [
          { reg: "PLUT-GIA-2026-000123", at: wita("2026-11-28T14:05"), share: 0.42, note: "=1+1 📉" },
          { reg: "PLUT-GIA-2026-000124", at: null, share: null, note: "bad\u0000char\u0007s" },
        ],
      },
      { name: "Kosong", columns: [{ key: "x", header: "X" }], rows: [] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Kasus", "Kosong"]);
    const ws = wb.getWorksheet("Kasus");
    if (!ws) throw new Error("no sheet");
    expect(ws.getRow(1).values).toEqual([undefined, "No. Registrasi", "Tanggal", "Sesuai Standar", "Catatan"]);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    const at = ws.getCell("B2");
    // 14:05 WITA shown as 14:05 in the sheet (Excel dates have no zone).
    expect((at.value as Date).toISOString()).toBe("2026-11-28T14:05:00.000Z");
    expect(at.numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(ws.getCell("C2").value).toBe(0.42);
    expect(ws.getCell("C2").numFmt).toBe("0.0%");
    // Text stays text in a workbook (no formula), emoji kept; XML-invalid control characters removed.
    expect(ws.getCell("D2").value).toBe("=1+1 📉");
    expect(ws.getCell("D2").formula).toBeUndefined();
    expect(ws.getCell("D3").value).toBe("badchars");
    expect(ws.getCell("B3").value).toBeNull();
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual("PLUT-GIA-2026-000123".length);
  });

  it("makes sheet names valid and unique", () => {
    const taken = new Set<string>();
    expect(safeSheetName("Per Bidang/Kecamatan: [Nov]?", taken)).toBe("Per Bidang-Kecamatan- -Nov--");
    expect(safeSheetName("Laporan layanan konsultasi bulanan 2026", taken)).toHaveLength(31);
    expect(safeSheetName("SKM", taken)).toBe("SKM");
    expect(safeSheetName("skm", taken)).toBe("skm (2)");
    expect(safeSheetName("", taken)).toBe("Sheet");
  });

  it("writes an empty workbook with one sheet", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx([])) as unknown as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(1);
  });
});
