/**
 * A place as a latitude/longitude pair: a location shared from the phone, typed coordinates
 * ("-8.5369, 115.3265", "8°32'13\"S 115°19'35\"E", "8,5369 LS 115,3265 BT") or a Google Maps link
 * that carries them ("https://www.google.com/maps/@-8.53,115.32,17z", "?q=-8.53,115.32", "geo:").
 */
import { type ParseResult, err, ok } from "./types.js";

export const LOCATION_ERRORS = [
  "q.location.empty",
  "q.location.invalid",
  "q.location.out_of_range",
  "q.location.short_link",
  "q.location.link",
] as const;

export interface LatLon {
  latitude: number;
  longitude: number;
}

const NUM = String.raw`-?\d{1,3}(?:\.\d+)?`;
const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** "-8.53690, 115.32650": five decimals are about a metre. */
export function formatLatLon(p: LatLon): string {
  return `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`;
}

function checked(lat: number, lon: number, allowSwap: boolean): ParseResult<LatLon> {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return err("q.location.invalid");
  // "115.3, -8.5" typed the other way round has only one reading that is a place.
  if (allowSwap && Math.abs(lat) > 90 && Math.abs(lat) <= 180 && Math.abs(lon) <= 90) [lat, lon] = [lon, lat];
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return err("q.location.out_of_range");
  const value = { latitude: round6(lat) + 0, longitude: round6(lon) + 0 };
  return ok(value, formatLatLon(value));
}

function fromLink(s: string): ParseResult<LatLon> | undefined {
  let text = s;
  try {
    text = decodeURIComponent(s);
  } catch {
    // A malformed escape: read the link as it is.
  }
  const patterns = [
    // The place pin (more exact than the map's centre after "@").
    new RegExp(String.raw`!3d(${NUM})!4d(${NUM})`),
    new RegExp(String.raw`[?&](?:q|query|ll|sll|center|destination|daddr|saddr|origin)=(?:loc:)?\s*(${NUM})\s*,\s*(${NUM})`),
    new RegExp(String.raw`@(${NUM}),\s*(${NUM})`),
    new RegExp(String.raw`^geo:(${NUM}),(${NUM})`),
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return checked(Number(m[1]), Number(m[2]), false);
  }
  if (/\b(?:maps\.app\.goo\.gl|goo\.gl\/maps|g\.co\/kgs)\b/i.test(text)) return err("q.location.short_link");
  if (/^(?:https?:\/\/|www\.)/i.test(text)) return err("q.location.link");
  return undefined;
}

const HEMI: Readonly<Record<string, 1 | -1>> = { n: 1, u: 1, lu: 1, s: -1, ls: -1, e: 1, t: 1, bt: 1, w: -1, b: -1, bb: -1 };
const IS_LAT: Readonly<Record<string, boolean>> = { n: true, u: true, lu: true, s: true, ls: true, e: false, t: false, bt: false, w: false, b: false, bb: false };

/** Degrees with minutes/seconds or a hemisphere letter: "8°32'13.5\"S", "8,5369 LS", "115.32° E". */
function fromHemispheres(s: string): ParseResult<LatLon> | undefined {
  const re =
    /(\d{1,3}(?:[.,]\d+)?)\s*°?\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:["″]|'')?)?)?\s*(ls|lu|bt|bb|[nsewutb])(?![a-z])/gi;
  const found = [...s.matchAll(re)];
  if (found.length !== 2) return undefined;
  let lat: number | undefined;
  let lon: number | undefined;
  for (const m of found) {
    const deg = Number((m[1] ?? "").replace(",", "."));
    const min = Number((m[2] ?? "0").replace(",", "."));
    const sec = Number((m[3] ?? "0").replace(",", "."));
    if (min >= 60 || sec >= 60) return err("q.location.out_of_range");
    const h = (m[4] ?? "").toLowerCase();
    const v = (HEMI[h] ?? 1) * (deg + min / 60 + sec / 3600);
    if (IS_LAT[h]) lat = v;
    else lon = v;
  }
  if (lat === undefined || lon === undefined) return err("q.location.invalid");
  return checked(lat, lon, false);
}

/** Reads a location: a shared pin, typed coordinates or a map link with coordinates in it. */
export function parseLocation(input: string | LatLon): ParseResult<LatLon> {
  if (typeof input !== "string") return checked(input.latitude, input.longitude, false);
  const s = input.normalize("NFKC").trim();
  if (s === "") return err("q.location.empty");
  const link = fromLink(s);
  if (link) return link;
  const hemi = fromHemispheres(s);
  if (hemi) return hemi;
  const dots = new RegExp(String.raw`^\(?\s*(${NUM})\s*(?:[,;]\s*|\s+)(${NUM})\s*\)?$`).exec(s);
  if (dots) return checked(Number(dots[1]), Number(dots[2]), true);
  // Decimal commas: "-8,5369 115,3265" or "-8,5369; 115,3265" or "-8,5369, 115,3265".
  const commas = /^\(?\s*(-?\d{1,3},\d+)\s*(?:;\s*|,\s+|\s+)(-?\d{1,3},\d+)\s*\)?$/.exec(s);
  if (commas) return checked(Number((commas[1] ?? "").replace(",", ".")), Number((commas[2] ?? "").replace(",", ".")), true);
  return err("q.location.invalid");
}
