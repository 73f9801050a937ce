import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMedia, MEDIA_ERRORS, mediaKind, normaliseMime } from "./media.js";

const MB = 1024 * 1024;
const texts: Record<string, string> = {
  "q.media.kind.image": "foto",
  "q.media.kind.pdf": "PDF",
  "q.media.kind.document": "dokumen",
  "q.media.kind.video": "video",
  "q.media.kind.audio": "rekaman suara",
};
const text = (k: string) => texts[k] ?? k;
const KTP = { accept: ["image/*", "application/pdf"], maxBytes: 5 * MB, text };

describe("checkMedia", () => {
  it.each([
    [{ mimeType: "image/jpeg", size: 1.2 * MB }, "foto (1,2 MB)", "image"],
    [{ mimeType: "image/png", size: 350 * 1024 }, "foto (350 KB)", "image"],
    [{ mimeType: "image/JPG", size: 2 * MB }, "foto (2 MB)", "image"],
    [{ mimeType: "image/webp", size: 800 }, "foto (800 B)", "image"],
    [{ mimeType: "application/pdf", size: 4.5 * MB }, "PDF (4,5 MB)", "pdf"],
    [{ mimeType: "application/pdf; charset=binary", size: 5 * MB }, "PDF (5 MB)", "pdf"],
  ])("%j -> %s", (media, display, kind) => {
    const r = checkMedia(media, KTP);
    expect(r).toMatchObject({ ok: true, display, value: { kind, size: media.size } });
  });

  it("shows sizes the English way in English", () => {
    expect(checkMedia({ mimeType: "image/jpeg", size: 1.2 * MB }, { ...KTP, lang: "en", text: () => "photo" })).toMatchObject({
      display: "photo (1.2 MB)",
    });
  });

  it("refuses a type not accepted, naming what is", () => {
    expect(checkMedia({ mimeType: "video/mp4", size: MB }, KTP)).toEqual({
      ok: false,
      error: "q.media.wrong_type",
      params: { allowed: "foto, PDF" },
    });
    expect(checkMedia({ mimeType: "image/heic", size: MB }, { accept: ["image/jpeg", "image/png"], maxBytes: MB * 10, text })).toEqual({
      ok: false,
      error: "q.media.wrong_type",
      params: { allowed: "JPG, PNG" },
    });
    expect(
      checkMedia(
        { mimeType: "application/zip", size: MB },
        {
          accept: ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
          maxBytes: 10 * MB,
          text,
        },
      ),
    ).toMatchObject({ params: { allowed: "PDF, DOCX" } });
    expect(checkMedia({ mimeType: "", size: MB }, KTP)).toMatchObject({ ok: false, error: "q.media.wrong_type" });
  });

  it("refuses a file over the limit, with the limit in MB", () => {
    expect(checkMedia({ mimeType: "image/jpeg", size: 12 * MB }, KTP)).toEqual({
      ok: false,
      error: "q.media.too_large",
      params: { limitMb: 5, size: "12 MB" },
    });
    expect(checkMedia({ mimeType: "image/jpeg", size: 1.6 * MB }, { ...KTP, maxBytes: 1.5 * MB })).toMatchObject({
      params: { limitMb: 1.5 },
    });
    expect(checkMedia({ mimeType: "image/jpeg", size: 5 * MB + 1 }, KTP)).toMatchObject({ ok: false, error: "q.media.too_large" });
  });

  it.each([0, -1, Number.NaN])("refuses an empty file (size %s)", (size) => {
    expect(checkMedia({ mimeType: "image/jpeg", size }, KTP)).toEqual({ ok: false, error: "q.media.empty" });
  });

  it("falls back to the key's last word when no text lookup is given", () => {
    expect(checkMedia({ mimeType: "image/jpeg", size: MB }, { accept: ["image/*"], maxBytes: 2 * MB })).toMatchObject({ display: "image (1 MB)" });
  });

  it("normalises mime types and kinds", () => {
    expect(normaliseMime(" Image/JPG ; q=1")).toBe("image/jpeg");
    expect(mediaKind("audio/ogg")).toBe("audio");
    expect(mediaKind("video/mp4")).toBe("video");
    expect(mediaKind("application/msword")).toBe("document");
  });
});

describe("checkMedia properties", () => {
  it("takes an accepted file up to the limit and refuses one byte more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 * MB }), fc.constantFrom("image/jpeg", "image/png", "application/pdf"), (size, mimeType) => {
        const r = checkMedia({ mimeType, size }, KTP);
        if (size <= KTP.maxBytes) expect(r).toMatchObject({ ok: true, value: { size } });
        else expect(r).toMatchObject({ ok: false, error: "q.media.too_large" });
      }),
    );
  });

  it("a type named like an object's own property is just a wrong type (found by the property below)", () => {
    for (const mimeType of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const r = checkMedia({ mimeType, size: 1000 }, KTP);
      expect(r.ok ? "ok" : r.error).toBe("q.media.wrong_type");
    }
  });

  it("never throws on any type or size", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: -10, max: 100 * MB }), (mimeType, size) => {
        const r = checkMedia({ mimeType, size }, KTP);
        if (!r.ok) expect(MEDIA_ERRORS).toContain(r.error);
      }),
    );
  });
});
