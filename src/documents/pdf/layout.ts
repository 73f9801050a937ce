/**
 * A small layout engine over pdfkit for the office's documents.
 *
 * pdfkit's own text flow adds pages by itself, which makes footers, repeated table headers and
 * kept-together blocks hard to control. Here every line is wrapped by us (with the font's real
 * widths) and drawn at a known position, so the engine always knows where it is: tables repeat their
 * header on each page and split a tall row line by line, a block can be kept on one page, and the
 * footer ("Halaman 1 dari N") is written on every page once the page count is known.
 *
 * All text must already be sanitised for WinAnsi (see ../text.ts); `PdfLayout` does it for you in
 * every public method.
 */
import type PDFKitDocument from "pdfkit";
import { sanitizePdfText } from "../text.js";
import type { OfficeInfo } from "../office.js";

export type PdfDoc = PDFKit.PDFDocument;

export const FONT = {
  regular: "Helvetica",
  bold: "Helvetica-Bold",
  italic: "Helvetica-Oblique",
  boldItalic: "Helvetica-BoldOblique",
} as const;
export type FontName = (typeof FONT)[keyof typeof FONT];

/**
 * Text is set ragged-right, not justified: pdfkit justifies by dropping the space characters and
 * moving words apart, which breaks copying and searching the text of an official record.
 */
export type Align = "left" | "center" | "right";

const COLOR = {
  text: "#111111",
  muted: "#555555",
  rule: "#000000",
  border: "#7a7a7a",
  headerFill: "#e4e4e4",
  zebraFill: "#f6f6f6",
} as const;

export interface LayoutOptions {
  layout: "portrait" | "landscape";
  margins?: { top: number; bottom: number; left: number; right: number };
  info: { Title: string; Subject?: string; Author?: string; Keywords?: string; CreationDate?: Date };
  /** Printed small at the top of every page after the first. */
  runningHeader?: { left: string; right: string };
  /** Printed at the bottom left of every page. */
  footerLeft?: string;
  /** Page-number text for the bottom right ("Halaman 1 dari 3"). */
  pageOf: (page: number, total: number) => string;
}

export type CellInput = string | { text: string; font?: FontName; align?: Align; fill?: string };

export interface TableColumn {
  header: string;
  /** Relative width; the columns share the table width in proportion. */
  weight: number;
  align?: Align;
  font?: FontName;
}

export interface TableOptions {
  fontSize?: number;
  padding?: number;
  /** Draw the header row (and repeat it on each new page). Default true. */
  header?: boolean;
  borders?: boolean;
  zebra?: boolean;
  minRowHeight?: number;
  x?: number;
  width?: number;
  lineGap?: number;
  /** Keep the whole table on one page when it is at most this share of a page (default 0.25). */
  keepTogether?: number;
}

interface Cell {
  lines: string[];
  font: FontName;
  align: Align;
  fill?: string;
}

/**
 * pdfkit and its font machinery (fontkit, brotli, ~25 MB resident) load with the first document a
 * process makes, not at start-up: most processes (and most days of the service) never make one.
 */
let pdfkit: Promise<{ default: typeof PDFKitDocument }> | undefined;

export class PdfLayout {
  readonly doc: PdfDoc;
  /** The next free vertical position on the current page. */
  y: number;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly opts: LayoutOptions;

  /** A new document (loads pdfkit the first time). */
  static async create(opts: LayoutOptions): Promise<PdfLayout> {
    const { default: PDFDocument } = await (pdfkit ??= import("pdfkit"));
    return new PdfLayout(opts, PDFDocument);
  }

  private constructor(opts: LayoutOptions, PDFDocument: typeof PDFKitDocument) {
    this.opts = opts;
    const margins = opts.margins ?? { top: 56, bottom: 56, left: 56, right: 56 };
    this.doc = new PDFDocument({
      size: "A4",
      layout: opts.layout,
      margins,
      bufferPages: true,
      autoFirstPage: true,
      info: {
        Title: sanitizePdfText(opts.info.Title, { multiline: false }),
        Subject: sanitizePdfText(opts.info.Subject ?? "", { multiline: false }),
        Author: sanitizePdfText(opts.info.Author ?? "", { multiline: false }),
        Keywords: sanitizePdfText(opts.info.Keywords ?? "", { multiline: false }),
        Creator: "PLUT-KUMKM Gianyar",
        Producer: "PLUT-KUMKM Gianyar (pdfkit)",
        ...(opts.info.CreationDate ? { CreationDate: opts.info.CreationDate } : {}),
      },
    });
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on("data", (c: Buffer) => this.chunks.push(c));
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
    this.doc.font(FONT.regular).fontSize(10).fillColor(COLOR.text);
    this.y = this.top;
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get right(): number {
    return this.doc.page.width - this.doc.page.margins.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return this.doc.page.margins.top;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get remaining(): number {
    return this.bottom - this.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** Start a new page unless `height` still fits (never on an empty page). */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top + 0.5) this.newPage();
  }

  space(h: number): void {
    this.y = Math.min(this.y + h, this.bottom);
  }

  static lineHeight(size: number, gap = 0.22): number {
    return size * (1 + gap);
  }

  textWidth(text: string, font: FontName, size: number): number {
    return this.doc.font(font).fontSize(size).widthOfString(text);
  }

  /** Wrap already-sanitised text into lines no wider than `width`. Long words are cut. */
  wrap(text: string, font: FontName, size: number, width: number): string[] {
    const doc = this.doc.font(font).fontSize(size);
    const max = Math.max(width, size); // never less than one character
    const spaceW = doc.widthOfString(" ");
    const out: string[] = [];
    for (const para of text.split("\n")) {
      const words = para.split(" ").filter((w) => w.length > 0);
      if (words.length === 0) {
        out.push("");
        continue;
      }
      let line = "";
      let lineW = 0;
      for (let word of words) {
        let w = doc.widthOfString(word);
        if (line !== "" && lineW + spaceW + w <= max + 0.01) {
          line += " " + word;
          lineW += spaceW + w;
          continue;
        }
        if (line !== "") out.push(line);
        while (w > max + 0.01) {
          // Cut the longest prefix that fits (binary search; at least one character).
          let lo = 1;
          let hi = word.length;
          while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (doc.widthOfString(word.slice(0, mid)) <= max + 0.01) lo = mid;
            else hi = mid - 1;
          }
          out.push(word.slice(0, lo));
          word = word.slice(lo);
          w = doc.widthOfString(word);
        }
        line = word;
        lineW = w;
      }
      if (line !== "") out.push(line);
    }
    return out;
  }

  /** Draw one line of sanitised text at (x, y) with no wrapping and no page logic. */
  drawLine(
    text: string,
    x: number,
    y: number,
    opts: { font?: FontName; size?: number; color?: string; underline?: boolean } = {},
  ): void {
    if (text === "") return;
    this.doc
      .font(opts.font ?? FONT.regular)
      .fontSize(opts.size ?? 10)
      .fillColor(opts.color ?? COLOR.text)
      .text(text, x, y, {
        lineBreak: false,
        underline: opts.underline ?? false,
      });
  }

  private drawAligned(
    line: string,
    x: number,
    width: number,
    y: number,
    align: Align,
    style: { font: FontName; size: number; color?: string; underline?: boolean },
  ): void {
    if (align === "left") return this.drawLine(line, x, y, style);
    const w = this.textWidth(line, style.font, style.size);
    this.drawLine(line, align === "center" ? x + (width - w) / 2 : x + width - w, y, style);
  }

  /**
   * A paragraph that flows across pages. `keepLines` lines at least stay together at a page end
   * (no widow of a single line).
   */
  paragraph(
    raw: string,
    opts: {
      font?: FontName;
      size?: number;
      align?: Align;
      indent?: number;
      firstLineIndent?: number;
      gapAfter?: number;
      color?: string;
      underline?: boolean;
      lineGap?: number;
    } = {},
  ): void {
    const text = sanitizePdfText(raw);
    const font = opts.font ?? FONT.regular;
    const size = opts.size ?? 10;
    const lh = PdfLayout.lineHeight(size, opts.lineGap);
    const indent = opts.indent ?? 0;
    const x = this.left + indent;
    const width = this.width - indent;
    const align = opts.align ?? "left";
    const style = { font, size, color: opts.color, underline: opts.underline };
    const paras = text === "" ? [] : text.split("\n");
    for (const para of paras) {
      const lines = this.wrap(para, font, size, width);
      lines.forEach((line) => {
        if (this.y + lh > this.bottom) this.newPage();
        this.drawAligned(line, x, width, this.y, align, style);
        this.y += lh;
      });
    }
    this.y += opts.gapAfter ?? 4;
  }

  /** Centered block lines (letterheads, titles). */
  centered(raw: string, font: FontName, size: number, color?: string): void {
    this.paragraph(raw, { font, size, align: "center", gapAfter: 0, color, lineGap: 0.18 });
  }

  rule(thickness = 0.5, gapBefore = 2, gapAfter = 6): void {
    this.y += gapBefore;
    this.doc
      .save()
      .lineWidth(thickness)
      .strokeColor(COLOR.rule)
      .moveTo(this.left, this.y)
      .lineTo(this.right, this.y)
      .stroke()
      .restore();
    this.y += gapAfter;
  }

  /** The letterhead (kop surat): government, agency, unit, address; then a double rule. */
  letterhead(office: OfficeInfo): void {
    if (office.government) this.centered(office.government.toUpperCase(), FONT.bold, 10.5);
    this.centered(office.parent.toUpperCase(), FONT.bold, 11.5);
    this.centered(office.name.toUpperCase(), FONT.bold, 14);
    const contact = [office.address, `Telp. ${office.phone}`];
    if (office.email) contact.push(`Email: ${office.email}`);
    if (office.website) contact.push(office.website);
    this.centered(contact.join("  \u2022  "), FONT.regular, 8.5, COLOR.muted);
    this.rule(1.6, 4, 0);
    this.rule(0.5, 1.6, 12);
  }

  /** A section heading kept with at least `keepWith` points of what follows. */
  heading(raw: string, opts: { size?: number; keepWith?: number; gapBefore?: number } = {}): void {
    const size = opts.size ?? 10.5;
    this.y += opts.gapBefore ?? 8;
    this.ensure(PdfLayout.lineHeight(size) + (opts.keepWith ?? 48));
    this.paragraph(raw, { font: FONT.bold, size, gapAfter: 4 });
  }

  /** Label : value lines (form style), no borders. */
  keyValues(rows: Array<[string, string]>, opts: { labelWeight?: number; size?: number; indent?: number } = {}): void {
    const labelWeight = opts.labelWeight ?? 30;
    this.table(
      [
        { header: "", weight: labelWeight },
        { header: "", weight: 2.2 },
        { header: "", weight: 100 - labelWeight - 2.2 },
      ],
      rows.map(([k, v]) => [k, ":", v]),
      {
        header: false,
        borders: false,
        padding: 1.6,
        fontSize: opts.size ?? 9.5,
        x: this.left + (opts.indent ?? 0),
        width: this.width - (opts.indent ?? 0),
      },
    );
  }

  /**
   * A table that wraps every cell, repeats its header on each page, keeps a row on one page when it
   * fits, and splits a row line by line when it does not.
   */
  /**
   * What must fit below the current position for the table to start here: the whole table when it
   * is short (at most `keepTogether` of a page), else the header with the first three rows (up to
   * the first three lines of a tall row). Headings use this to stay with their table.
   */
  tableLeadHeight(columns: TableColumn[], rows: CellInput[][], opts: TableOptions = {}): number {
    return this.leadHeight(this.prepareTable(columns, rows, opts), opts);
  }

  private leadHeight(t: ReturnType<PdfLayout["prepareTable"]>, opts: TableOptions): number {
    const page = this.bottom - this.top;
    const heights = t.rows.map((r) => t.rowHeight(r));
    const total = t.headerHeight + heights.reduce((s, h) => s + h, 0);
    if (total <= page * (opts.keepTogether ?? 0.25)) return total;
    // Not a lonely header or a single row at a page end: the first three rows, or the first
    // lines of a tall row.
    let lead = t.headerHeight;
    for (const h of heights.slice(0, 3)) {
      if (h > (page - t.headerHeight) * 0.35) return lead + 3 * t.lh + 2 * t.pad;
      lead += h;
    }
    return lead;
  }

  private prepareTable(columns: TableColumn[], rows: CellInput[][], opts: TableOptions) {
    const size = opts.fontSize ?? 9;
    const pad = opts.padding ?? 4;
    const lh = PdfLayout.lineHeight(size, opts.lineGap ?? 0.2);
    const x0 = opts.x ?? this.left;
    const tableWidth = opts.width ?? this.right - x0;
    const showHeader = opts.header ?? true;
    const minRow = opts.minRowHeight ?? 0;
    const totalWeight = columns.reduce((s, c) => s + c.weight, 0) || 1;
    const widths = columns.map((c) => (c.weight / totalWeight) * tableWidth);
    const xs: number[] = [];
    widths.reduce((x, w) => {
      xs.push(x);
      return x + w;
    }, x0);
    const headerCells: Cell[] = columns.map((c, i) => ({
      lines: this.wrap(sanitizePdfText(c.header), FONT.bold, size, (widths[i] ?? 0) - 2 * pad),
      font: FONT.bold,
      align: c.align === "right" ? "center" : (c.align ?? "left"),
      fill: COLOR.headerFill,
    }));
    const headerHeight = showHeader ? Math.max(...headerCells.map((c) => c.lines.length), 1) * lh + 2 * pad : 0;
    const cellRows: Cell[][] = rows.map((row, rowIndex) =>
      columns.map((c, i) => {
        const input = row[i] ?? "";
        const obj = typeof input === "string" ? { text: input } : input;
        const font = obj.font ?? c.font ?? FONT.regular;
        return {
          lines: this.wrap(sanitizePdfText(obj.text), font, size, (widths[i] ?? 0) - 2 * pad),
          font,
          align: obj.align ?? c.align ?? "left",
          fill: obj.fill ?? (opts.zebra && rowIndex % 2 === 1 ? COLOR.zebraFill : undefined),
        };
      }),
    );
    const rowHeight = (cells: Cell[]) => Math.max(Math.max(...cells.map((c) => c.lines.length), 1) * lh + 2 * pad, minRow);
    return { size, pad, lh, widths, xs, headerCells, headerHeight, showHeader, rows: cellRows, rowHeight };
  }

  /**
   * A table that wraps every cell, repeats its header on each page, keeps a row on one page when it
   * fits, and splits a row line by line when it does not. A short table (at most `keepTogether` of
   * a page, default 0.25) is kept on one page.
   */
  table(columns: TableColumn[], rows: CellInput[][], opts: TableOptions = {}): void {
    const t = this.prepareTable(columns, rows, opts);
    const { size, pad, lh, widths, xs, headerCells, headerHeight, showHeader } = t;
    const borders = opts.borders ?? true;
    const minRow = opts.minRowHeight ?? 0;

    const drawHeader = () => {
      if (!showHeader) return;
      this.drawRow(headerCells, xs, widths, headerHeight, size, lh, pad, borders);
      this.y += headerHeight;
    };
    const breakPage = () => {
      this.newPage();
      drawHeader();
    };

    this.ensure(this.leadHeight(t, opts));
    drawHeader();

    t.rows.forEach((first) => {
      let cells = first;
      const freshSpace = this.bottom - this.top - headerHeight;
      for (;;) {
        const maxLines = Math.max(...cells.map((c) => c.lines.length), 1);
        const needed = Math.max(maxLines * lh + 2 * pad, minRow);
        if (this.y + needed <= this.bottom + 0.01) {
          this.drawRow(cells, xs, widths, needed, size, lh, pad, borders);
          this.y += needed;
          return;
        }
        // Nothing of this table below the header on this page yet: splitting is the only way on.
        const atTop = this.y <= this.top + headerHeight + 0.5;
        const fit = Math.floor((this.bottom - this.y - 2 * pad) / lh);
        const tall = needed > freshSpace * 0.35;
        if (!atTop && (fit < 3 || (!tall && needed <= freshSpace))) {
          breakPage();
          continue;
        }
        const n = Math.max(fit, 1);
        const head = cells.map((c) => ({ ...c, lines: c.lines.slice(0, n) }));
        const h = n * lh + 2 * pad;
        this.drawRow(head, xs, widths, h, size, lh, pad, borders);
        this.y += h;
        cells = cells.map((c) => ({ ...c, lines: c.lines.slice(n) }));
        breakPage();
      }
    });
    this.y += 4;
  }

  private drawRow(
    cells: Cell[],
    xs: number[],
    widths: number[],
    height: number,
    size: number,
    lh: number,
    pad: number,
    borders: boolean,
  ): void {
    const doc = this.doc;
    cells.forEach((cell, i) => {
      const x = xs[i] ?? this.left;
      const w = widths[i] ?? 0;
      if (cell.fill) doc.save().rect(x, this.y, w, height).fill(cell.fill).restore();
      if (borders) doc.save().lineWidth(0.5).strokeColor(COLOR.border).rect(x, this.y, w, height).stroke().restore();
      cell.lines.forEach((line, li) => {
        this.drawAligned(line, x + pad, w - 2 * pad, this.y + pad + li * lh + (lh - size) / 2, cell.align, {
          font: cell.font,
          size,
        });
      });
    });
  }

  /** Write running headers and footers on every page, end the document and return its bytes. */
  async finish(): Promise<Buffer> {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const pageNo = i - range.start + 1;
      const left = this.left;
      const right = this.right;
      const footY = doc.page.height - doc.page.margins.bottom + 16;
      doc.save().lineWidth(0.4).strokeColor(COLOR.border).moveTo(left, footY - 5).lineTo(right, footY - 5).stroke().restore();
      const size = 7.5;
      if (this.opts.footerLeft) {
        const t = this.wrap(sanitizePdfText(this.opts.footerLeft, { multiline: false }), FONT.regular, size, this.width * 0.7)[0] ?? "";
        this.drawLine(t, left, footY, { size, color: COLOR.muted });
      }
      const pageText = sanitizePdfText(this.opts.pageOf(pageNo, total));
      const w = this.textWidth(pageText, FONT.regular, size);
      this.drawLine(pageText, right - w, footY, { size, color: COLOR.muted });
      if (pageNo > 1 && this.opts.runningHeader) {
        const headY = doc.page.margins.top - 22;
        const l = sanitizePdfText(this.opts.runningHeader.left, { multiline: false });
        const r = sanitizePdfText(this.opts.runningHeader.right, { multiline: false });
        this.drawLine(l, left, headY, { size, color: COLOR.muted });
        const rw = this.textWidth(r, FONT.regular, size);
        this.drawLine(r, right - rw, headY, { size, color: COLOR.muted });
        doc.save().lineWidth(0.4).strokeColor(COLOR.border).moveTo(left, headY + 11).lineTo(right, headY + 11).stroke().restore();
      }
    }
    doc.end();
    return this.done;
  }
}

export { COLOR as PDF_COLOR };
