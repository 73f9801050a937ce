import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMAIL_ERRORS, parseEmail, suggestDomain } from "./email.js";

describe("parseEmail", () => {
  it.each([
    ["budi@gmail.com", "budi@gmail.com"],
    ["  budi@gmail.com  ", "budi@gmail.com"],
    ["Budi.Santoso@GMAIL.COM", "Budi.Santoso@gmail.com"],
    ["budi @ gmail . com", "budi@gmail.com"],
    ["mailto:budi@gmail.com", "budi@gmail.com"],
    ["<budi@gmail.com>", "budi@gmail.com"],
    ["budi@gmail.com.", "budi@gmail.com"],
    ["budi＠gmail.com", "budi@gmail.com"],
    ["Plut.kabgianyar@gmail.com", "Plut.kabgianyar@gmail.com"],
    ["putu+plut@yahoo.co.id", "putu+plut@yahoo.co.id"],
    ["info@plutkumkmgianyar.com", "info@plutkumkmgianyar.com"],
    ["kadek_ayu99@outlook.co.id", "kadek_ayu99@outlook.co.id"],
    ["made@diskop.gianyarkab.go.id", "made@diskop.gianyarkab.go.id"],
    ["a@b.co", "a@b.co"],
    ["budi@mail.com", "budi@mail.com"],
    ["usaha@toko-perak.id", "usaha@toko-perak.id"],
  ])("%j -> %s", (input, email) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: email, display: email });
  });

  it.each([
    ["budi@gmail.con", "budi@gmail.com"],
    ["budi@gmail.cm", "budi@gmail.com"],
    ["budi@gmail.comm", "budi@gmail.com"],
    ["budi@gmail.co", "budi@gmail.com"],
    ["budi@gmail.co.id", "budi@gmail.com"],
    ["budi@gmial.com", "budi@gmail.com"],
    ["budi@gmai.com", "budi@gmail.com"],
    ["budi@gamil.com", "budi@gmail.com"],
    ["budi@gmaill.com", "budi@gmail.com"],
    ["budi@gmail", "budi@gmail.com"],
    ["budi@gmail,com", "budi@gmail.com"],
    ["budi@yahoo,co.id", "budi@yahoo.co.id"],
    ["budi@yaho.com", "budi@yahoo.com"],
    ["budi@yahoo.co.di", "budi@yahoo.co.id"],
    ["budi@hotmial.com", "budi@hotmail.com"],
    ["budi@outlok.com", "budi@outlook.com"],
    ["budi@icloud.con", "budi@icloud.com"],
    ["budi@toko,id", "budi@toko.id"],
  ])("%j suggests %s", (input, suggestion) => {
    expect(parseEmail(input)).toEqual({ ok: false, error: "q.email.typo", params: { suggestion } });
  });

  it.each([
    ["", "q.email.empty"],
    ["   ", "q.email.empty"],
    ["budi", "q.email.no_at"],
    ["budi gmail.com", "q.email.no_at"],
    ["budi.gmail.com", "q.email.no_at"],
    ["👍", "q.email.no_at"],
    ["budi@@gmail.com", "q.email.invalid"],
    ["budi@", "q.email.invalid"],
    ["@gmail.com", "q.email.invalid"],
    ["budi santoso@gmail.com", "q.email.invalid"],
    ["x..y@gmail.com", "q.email.invalid"],
    [".budi@gmail.com", "q.email.invalid"],
    ["budi@toko", "q.email.invalid"],
    ["budi@-toko.com", "q.email.invalid"],
    ["budi@toko.c0m", "q.email.invalid"],
    ["budi@toko..com", "q.email.invalid"],
    [`${"a".repeat(65)}@gmail.com`, "q.email.invalid"],
    [`budi@${"a".repeat(250)}.com`, "q.email.invalid"],
  ])("%j -> %s", (input, error) => {
    expect(parseEmail(input)).toMatchObject({ ok: false, error });
  });

  it("refuses 10 000 characters", () => {
    expect(parseEmail("a".repeat(10_000))).toMatchObject({ ok: false, error: "q.email.no_at" });
    expect(parseEmail(`${"a".repeat(10_000)}@gmail.com`)).toMatchObject({ ok: false, error: "q.email.invalid" });
    expect(parseEmail(`budi@${"a.".repeat(5_000)}com`)).toMatchObject({ ok: false, error: "q.email.invalid" });
  });

  it("leaves real domains alone", () => {
    for (const d of ["gmail.com", "yahoo.co.id", "mail.com", "me.com", "mi.com", "plutkumkmgianyar.com", "gianyarkab.go.id", "yahoo.co.uk"]) {
      expect(suggestDomain(d)).toBeUndefined();
    }
  });
});

describe("parseEmail properties", () => {
  const local = fc.stringMatching(/^[a-z][a-z0-9._]{0,14}[a-z0-9]$/).filter((l) => !l.includes(".."));
  const domain = fc.constantFrom("gmail.com", "yahoo.co.id", "plutgianyar.id", "toko-perak.com", "diskop.gianyarkab.go.id");

  it("reads back any plain address, whatever spaces and case are around it", () => {
    fc.assert(
      fc.property(local, domain, fc.constantFrom("", " ", "  "), (l, d, pad) => {
        expect(parseEmail(`${pad}${l}@${d.toUpperCase()}${pad}`)).toEqual({ ok: true, value: `${l}@${d}`, display: `${l}@${d}` });
      }),
    );
  });

  it("never throws, and refuses with a declared error", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseEmail(s);
        if (!r.ok) expect(EMAIL_ERRORS).toContain(r.error);
        else expect(r.value).toContain("@");
      }),
    );
  });
});
