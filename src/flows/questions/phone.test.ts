import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describePhone, formatPhone, parsePhone } from "./phone.js";

describe("parsePhone", () => {
  it.each([
    ["0812-3456-7890", "+6281234567890", "0812-3456-7890"],
    ["0812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["081234567890", "+6281234567890", "0812-3456-7890"],
    ["+62 812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["+62 812-3456-7890", "+6281234567890", "0812-3456-7890"],
    ["+6281234567890", "+6281234567890", "0812-3456-7890"],
    ["6281234567890", "+6281234567890", "0812-3456-7890"],
    ["62812345678 90", "+6281234567890", "0812-3456-7890"],
    ["+62 (0) 812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["+62 0812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["0062 812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["812 3456 7890", "+6281234567890", "0812-3456-7890"],
    ["0812.3456.7890", "+6281234567890", "0812-3456-7890"],
    ["WA: 0812-3456-7890", "+6281234567890", "0812-3456-7890"],
    ["hp saya 0812 3456 7890 ya", "+6281234567890", "0812-3456-7890"],
    ["08123456789", "+628123456789", "0812-3456-789"],
    ["0812345678", "+62812345678", "0812-345-678"],
    ["0812345678901", "+62812345678901", "0812-3456-78901"],
    ["0857 1234 5678", "+6285712345678", "0857-1234-5678"],
    ["(0361) 941571", "+62361941571", "(0361) 941571"],
    ["0361 941571", "+62361941571", "(0361) 941571"],
    ["0361-941571", "+62361941571", "(0361) 941571"],
    ["(0361) 9080346", "+623619080346", "(0361) 908 0346"],
    ["+62 361 941571", "+62361941571", "(0361) 941571"],
    ["021 1234 5678", "+622112345678", "(021) 1234 5678"],
    ["0901 123456", "+62901123456", "(0901) 123456"],
    ["０８１２３４５６７８９０", "+6281234567890", "0812-3456-7890"],
  ])("%j -> %s (%s)", (input, e164, display) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: e164, display });
  });

  it.each([
    ["", "q.phone.empty"],
    ["   ", "q.phone.empty"],
    ["abc", "q.phone.invalid"],
    ["👍", "q.phone.invalid"],
    ["0812-3456-789a", "q.phone.invalid"],
    ["08l2 3456 7890", "q.phone.invalid"],
    ["0800 1234 567", "q.phone.invalid"],
    ["112", "q.phone.invalid"],
    ["0812345", "q.phone.too_short"],
    ["081234567", "q.phone.too_short"],
    ["+62812", "q.phone.too_short"],
    ["08123456789012", "q.phone.too_long"],
    ["0361 9415", "q.phone.too_short"],
    ["+0812", "q.phone.invalid"],
    ["0361 941571 941571", "q.phone.too_long"],
    ["941571", "q.phone.no_area_code"],
    ["9080346", "q.phone.no_area_code"],
  ])("%j -> %s", (input, error) => {
    expect(parsePhone(input)).toMatchObject({ ok: false, error });
  });

  it.each([
    ["+65 9123 4567", "+65"],
    ["+60 12-345 6789", "+60"],
    ["+61 412 345 678", "+61"],
    ["+1 415 555 0100", "+1"],
    ["+44 20 7946 0958", "+44"],
    ["+852 5123 4567", "+852"],
    ["+670 7723 4567", "+670"],
    ["0065 9123 4567", "+65"],
  ])("%j is not Indonesian (%s)", (input, countryCode) => {
    expect(parsePhone(input)).toEqual({ ok: false, error: "q.phone.not_indonesian", params: { countryCode } });
  });

  it("refuses 10 000 digits quickly", () => {
    expect(parsePhone("1".repeat(10_000))).toMatchObject({ ok: false, error: "q.phone.invalid" });
    expect(parsePhone("0".repeat(10_000))).toMatchObject({ ok: false, error: "q.phone.invalid" });
    expect(parsePhone(`0812 ${"x".repeat(10_000)}`)).toMatchObject({ ok: false, error: "q.phone.too_short" });
    expect(parsePhone(`0812-3456-7890 ${"ya ".repeat(3000)}`)).toMatchObject({ ok: true, value: "+6281234567890" });
  });

  it("tells mobiles from landlines", () => {
    expect(describePhone("+6281234567890").kind).toBe("mobile");
    expect(describePhone("+62361941571").kind).toBe("landline");
  });

  it("reads back any mobile number, in any of the usual writings", () => {
    fc.assert(
      // "08" and then 8 to 11 digits, the first of them not 0 (0800 is toll-free).
      fc.property(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{7,10}$/), (second, rest) => {
        const national = `8${second}${rest}`;
        const e164 = `+62${national}`;
        for (const s of [`0${national}`, e164, `62${national}`, formatPhone(e164), `+62 ${national.slice(0, 3)} ${national.slice(3)}`]) {
          expect(parsePhone(s)).toMatchObject({ ok: true, value: e164 });
        }
      }),
    );
  });
});
