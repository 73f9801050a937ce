/** Options every PDF renderer takes. */
import { z } from "zod";
import { ZLang, type Lang } from "../i18n/index.js";
import { OFFICE_TIME_ZONE } from "../i18n/dates.js";

export interface RenderOptions {
  /** Language of the fixed labels ("id" Indonesian, "en" English). Data is printed as given. */
  lang: Lang;
  /** IANA zone the dates are shown in. Default "Asia/Makassar" (WITA, the office's zone). */
  timeZone?: string;
}

export const ZRenderOptions = z.object({
  lang: ZLang,
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "unknown time zone")
    .default(OFFICE_TIME_ZONE),
});
