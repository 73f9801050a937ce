/** Read a PDF back with pdfjs-dist (legacy build for Node) and return the text of each page. */
import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const require = createRequire(import.meta.url);
const standardFontDataUrl = path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;

export interface PdfText {
  pages: string[];
  /** All pages, whitespace collapsed to single spaces: for sentences that wrap over lines. */
  flat: string;
  numPages: number;
  /** Width and height of each page in points. */
  sizes: Array<{ width: number; height: number }>;
}

export async function readPdfText(buf: Buffer): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(buf), standardFontDataUrl, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    const sizes: PdfText["sizes"] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const viewport = page.getViewport({ scale: 1 });
      sizes.push({ width: viewport.width, height: viewport.height });
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      }
      pages.push(text);
    }
    return { pages, flat: flatten(pages.join("\n")), numPages: doc.numPages, sizes };
  } finally {
    await doc.destroy();
  }
}

export const flatten = (s: string): string => s.replace(/\s+/g, " ").trim();
