import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLatLon, parseLocation } from "./location.js";

const GIANYAR = { latitude: -8.5369, longitude: 115.3265 };

describe("parseLocation", () => {
  it.each([
    "-8.5369, 115.3265",
    "-8.5369,115.3265",
    "-8.5369 115.3265",
    "-8.5369; 115.3265",
    "(-8.5369, 115.3265)",
    "-8,5369 115,3265",
    "-8,5369; 115,3265",
    "-8,5369, 115,3265",
    "115.3265, -8.5369",
    "8.5369 S, 115.3265 E",
    "8.5369° S 115.3265° E",
    "8,5369 LS 115,3265 BT",
    "8°32'12.84\"S 115°19'35.4\"E",
    "https://www.google.com/maps/@-8.5369,115.3265,15z",
    "https://www.google.com/maps/@-8.5369,115.3265,17z?entry=ttu",
    "https://maps.google.com/?q=-8.5369,115.3265",
    "https://www.google.com/maps?q=-8.5369,115.3265&z=17",
    "https://www.google.com/maps/search/?api=1&query=-8.5369%2C115.3265",
    "https://www.google.com/maps/dir/?api=1&destination=-8.5369,115.3265",
    "https://www.google.com/maps/place/Kantor/@-8.50,115.20,15z/data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d-8.5369!4d115.3265",
    "geo:-8.5369,115.3265",
    "Lokasi saya: https://maps.google.com/?q=-8.5369,115.3265 ya",
  ])("%j -> Gianyar", (input) => {
    const r = parseLocation(input);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.latitude).toBeCloseTo(GIANYAR.latitude, 3);
      expect(r.value.longitude).toBeCloseTo(GIANYAR.longitude, 3);
    }
  });

  it("takes a shared pin and shows five decimals", () => {
    expect(parseLocation(GIANYAR)).toEqual({ ok: true, value: GIANYAR, display: "-8.53690, 115.32650" });
    expect(parseLocation({ latitude: -8.123456789, longitude: 115.1 })).toMatchObject({ value: { latitude: -8.123457 } });
  });

  it.each([
    [{ latitude: 91, longitude: 0 }, "q.location.out_of_range"],
    [{ latitude: 0, longitude: 181 }, "q.location.out_of_range"],
    [{ latitude: Number.NaN, longitude: 0 }, "q.location.invalid"],
    ["95, 115", "q.location.out_of_range"],
    ["-8.5, 200", "q.location.out_of_range"],
    ["8°75'00\"S 115°19'35\"E", "q.location.out_of_range"],
    ["", "q.location.empty"],
    ["  ", "q.location.empty"],
    ["rumah saya dekat pasar", "q.location.invalid"],
    ["📍", "q.location.invalid"],
    ["-8.5369", "q.location.invalid"],
    ["1, 2, 3", "q.location.invalid"],
    ["8.5 S 9.5 N", "q.location.invalid"],
    ["https://maps.app.goo.gl/AbC123xyz", "q.location.short_link"],
    ["https://goo.gl/maps/AbC123", "q.location.short_link"],
    ["https://www.google.com/maps/place/Ubud", "q.location.link"],
    ["https://plutkumkmgianyar.com", "q.location.link"],
  ] as const)("%j -> %s", (input, error) => {
    expect(parseLocation(input)).toEqual({ ok: false, error });
  });

  it("refuses 10 000 characters quickly", () => {
    expect(parseLocation("1".repeat(10_000))).toMatchObject({ ok: false });
    expect(parseLocation(`8°${"1".repeat(10_000)}`)).toMatchObject({ ok: false });
    expect(parseLocation("x".repeat(10_000))).toEqual({ ok: false, error: "q.location.invalid" });
  });

  it("reads back its own display", () => {
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lon) => {
        const shown = formatLatLon({ latitude: lat, longitude: lon });
        const r = parseLocation(shown);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value.latitude).toBeCloseTo(lat, 4);
          expect(r.value.longitude).toBeCloseTo(lon, 4);
        }
      }),
    );
  });
});
