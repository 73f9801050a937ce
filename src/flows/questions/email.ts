/**
 * E-mail addresses, checked pragmatically (the shape, not deliverability), with the domain lower-cased
 * and the usual slips caught: "gmail.con", "gmial.com", "yahoo,co.id", "budi@gmail".
 */
import { damerauLevenshtein } from "./fuzzy.js";
import { type ParseResult, err, ok } from "./types.js";

export const EMAIL_ERRORS = ["q.email.empty", "q.email.no_at", "q.email.invalid", "q.email.typo"] as const;

/** Mail providers Indonesians use, checked for near misses. */
export const COMMON_EMAIL_DOMAINS: readonly string[] = [
  "gmail.com",
  "yahoo.com",
  "yahoo.co.id",
  "yahoo.co.uk",
  "yahoo.com.sg",
  "ymail.com",
  "rocketmail.com",
  "hotmail.com",
  "hotmail.co.uk",
  "outlook.com",
  "outlook.co.id",
  "live.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "protonmail.com",
  "proton.me",
  "mail.com",
  "email.com",
  "gmx.com",
  "gmx.de",
  "zoho.com",
  "yandex.com",
  "gianyarkab.go.id",
];

/** Top-level-domain slips: "budi@gmail.con" means ".com". */
const TLD_FIXES: Readonly<Record<string, string>> = {
  con: "com", cim: "com", cpm: "com", vom: "com", xom: "com", comm: "com", coom: "com", cmo: "com", ocm: "com",
  om: "com", cm: "com", "com.": "com", comn: "com", clm: "com", coid: "co.id",
};

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/** Providers that exist under ".com" only: "gmail.co.id" and "gmail.co" mean "gmail.com". */
const COM_ONLY = new Set(["gmail", "hotmail", "ymail", "icloud", "rocketmail", "protonmail"]);

/** A likely intended domain for a mistyped one, or undefined when it looks fine. */
export function suggestDomain(domain: string): string | undefined {
  if (COMMON_EMAIL_DOMAINS.includes(domain)) return undefined;
  const labels = domain.split(".");
  const head = labels[0] ?? "";
  // "budi@gmail": the provider without its ending.
  if (labels.length === 1) return COMMON_EMAIL_DOMAINS.find((d) => d.split(".")[0] === head);
  const tld = labels[labels.length - 1] ?? "";
  const fixed = TLD_FIXES[tld];
  const candidate = fixed ? [...labels.slice(0, -1), fixed].join(".") : domain;
  if (COMMON_EMAIL_DOMAINS.includes(candidate)) return candidate;
  if (COM_ONLY.has(head)) return `${head}.com`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const d of COMMON_EMAIL_DOMAINS) {
    // Short domains get no typo allowance: "mi.com" is not a slip for "me.com".
    const budget = d.length >= 9 ? 2 : d.length >= 7 ? 1 : 0;
    if (budget === 0) continue;
    const distance = damerauLevenshtein(candidate, d, budget);
    if (distance <= budget && distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  return best;
}

/** Reads an e-mail address: local part as typed, domain lower-cased. */
export function parseEmail(input: string): ParseResult<string> {
  let s = input.normalize("NFKC").trim();
  if (s === "") return err("q.email.empty");
  s = s.replace(/^mailto:/i, "").replace(/^<(.*)>$/, "$1").trim();
  // Phones put spaces around "@" and "."; a comma for the dot is a slip fixed below.
  s = s.replace(/\s*@\s*/g, "@").replace(/\s*\.\s*/g, ".").replace(/[.,;]+$/, "");
  // The full-width at sign from some keyboards.
  s = s.replace(/＠/g, "@");
  const at = s.split("@");
  if (at.length === 1) return err("q.email.no_at");
  if (at.length > 2 || /\s/.test(s)) return err("q.email.invalid");
  const [local = "", rawDomain = ""] = at;
  let domain = rawDomain.toLowerCase();
  const hadComma = domain.includes(",");
  domain = domain.replace(/,/g, ".");
  if (local === "" || local.length > 64 || !LOCAL.test(local)) return err("q.email.invalid");
  const suggestion = suggestDomain(domain);
  if (suggestion) return err("q.email.typo", { suggestion: `${local}@${suggestion}` });
  if (hadComma) return err("q.email.typo", { suggestion: `${local}@${domain}` });
  const labels = domain.split(".");
  if (labels.length < 2 || domain.length > 253 || !labels.every((l) => LABEL.test(l))) return err("q.email.invalid");
  if (!/^(?:\p{L}{2,63}|xn--[a-z0-9-]+)$/u.test(labels[labels.length - 1] ?? "")) return err("q.email.invalid");
  const email = `${local}@${domain}`;
  if (email.length > 254) return err("q.email.invalid");
  return ok(email, email);
}
