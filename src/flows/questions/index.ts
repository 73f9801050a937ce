/** The question parsers: one module per type, all pure. */
import { CHOICE_ERRORS } from "./choice.js";
import { DATE_ERRORS } from "./date.js";
import { EMAIL_ERRORS } from "./email.js";
import { IDENTIFIER_ERRORS, IDENTIFIER_LABEL_KEYS } from "./identifier.js";
import { LOCATION_ERRORS } from "./location.js";
import { MEDIA_ERRORS, MEDIA_KIND_KEYS } from "./media.js";
import { NIK_ERRORS } from "./nik.js";
import { NUMBER_ERRORS } from "./number.js";
import { PHONE_ERRORS } from "./phone.js";
import { REGION_ERRORS, REGION_LABEL_KEYS } from "./region.js";
import { TEXT_ERRORS, TEXT_LABEL_KEYS } from "./text.js";
import { YESNO_ERRORS, YESNO_LABEL_KEYS } from "./yesno.js";

export * from "./types.js";
export { formatRupiah, formatNumber, formatIsoDate, formatBytes } from "./format.js";
export { parseText, nameCase, type TextOptions } from "./text.js";
export { parseNumber, type NumberOptions } from "./number.js";
export { parseChoice, parseMultiChoice, type MultiChoiceOptions } from "./choice.js";
export { parseYesNo, type YesNoLabels, YESNO_LABEL_KEYS } from "./yesno.js";
export { parseDate, type DateOptions } from "./date.js";
export { parsePhone, formatPhone, describePhone } from "./phone.js";
export { parseEmail } from "./email.js";
export { parseNik, describeNik, maskNik, formatNik, type NikInfo, type NikOptions, type Sex } from "./nik.js";
export {
  parseKecamatan,
  parseDesa,
  parseRegions,
  kecamatanChoices,
  desaChoices,
  REGION_LABEL_KEYS,
  ZRegionsFile,
  type Regions,
  type Kecamatan,
  type Desa,
} from "./region.js";
export { checkMedia, MEDIA_KIND_KEYS, type MediaInput, type MediaOptions, type MediaValue } from "./media.js";
export { parseLocation, type LatLon } from "./location.js";
export { parseIdentifier, IDENTIFIER_LABEL_KEYS, type IdentifierAnswer, type IdentifierOptions } from "./identifier.js";

/** Every error key any parser returns, by question type. */
export const ERROR_KEYS = {
  text: TEXT_ERRORS,
  number: NUMBER_ERRORS,
  choice: CHOICE_ERRORS,
  yesno: YESNO_ERRORS,
  date: DATE_ERRORS,
  phone: PHONE_ERRORS,
  email: EMAIL_ERRORS,
  nik: NIK_ERRORS,
  region: REGION_ERRORS,
  media: MEDIA_ERRORS,
  location: LOCATION_ERRORS,
  identifier: IDENTIFIER_ERRORS,
} as const;

/** Every text key the parsers name: error keys plus the labels the engine looks up for displays. */
export const QUESTION_TEXT_KEYS: readonly string[] = [
  ...Object.values(ERROR_KEYS).flat(),
  ...Object.values(MEDIA_KIND_KEYS),
  ...Object.values(YESNO_LABEL_KEYS),
  ...Object.values(REGION_LABEL_KEYS),
  ...Object.values(IDENTIFIER_LABEL_KEYS),
  ...Object.values(TEXT_LABEL_KEYS),
];
