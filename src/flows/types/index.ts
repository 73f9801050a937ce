/** Imports every question type so each registers itself. Add a new type's file here. */
import "./text.js";
import "./number.js";
import "./choice.js";
import "./multi-choice.js";
import "./yes-no.js";
import "./rating.js";
import "./date.js";
import "./phone.js";
import "./email.js";
import "./nik.js";
import "./kecamatan.js";
import "./desa.js";
import "./media.js";
import "./location.js";
import "./identifier.js";
