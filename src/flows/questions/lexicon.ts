/**
 * Parsing vocabulary: the words clients type that the parsers must recognise (Indonesian, informal
 * spellings, English). Nothing here is shown to anyone; texts people read live in conversations/texts.
 * All entries are folded (lower case, no diacritics) as `fold` in fuzzy.ts produces.
 */

/** Month number -> the words that name it, full and abbreviated, Indonesian and English. */
export const MONTH_WORDS: Readonly<Record<number, readonly string[]>> = {
  1: ["januari", "january", "jan", "janu"],
  2: ["februari", "pebruari", "febuari", "february", "feb", "peb", "pebr", "febr"],
  3: ["maret", "march", "mar", "mrt"],
  4: ["april", "apr"],
  5: ["mei", "may"],
  6: ["juni", "june", "jun"],
  7: ["juli", "july", "jul"],
  8: ["agustus", "augustus", "august", "agt", "ags", "agu", "agus", "agst", "agts", "aug"],
  9: ["september", "sep", "sept", "spt"],
  10: ["oktober", "october", "okt", "oct", "oktb"],
  11: ["november", "nopember", "nov", "nop"],
  12: ["desember", "december", "des", "dec", "dsm"],
};

/** Day names, ignored in dates ("Jumat, 17 Agustus 1990"). */
export const WEEKDAY_WORDS: readonly string[] = [
  "senin", "selasa", "rabu", "kamis", "jumat", "jum at", "sabtu", "minggu", "ahad",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];

/** Words around a date that carry nothing ("tgl 17 bulan 8 tahun 1990", "lahir tanggal ..."). */
export const DATE_FILLER_WORDS: readonly string[] = [
  "tgl", "tanggal", "tangal", "bulan", "bln", "tahun", "thn", "th", "lahir", "pada", "hari", "date",
  "of", "the", "on", "born", "day", "month", "year", "sekitar", "kira", "kira2", "yaitu", "adalah", "saya",
];

/** Relative days: offset from today in days. */
export const RELATIVE_DAY_WORDS: Readonly<Record<string, number>> = {
  "hari ini": 0,
  "hr ini": 0,
  "today": 0,
  "kemarin": -1,
  "kemaren": -1,
  "kmrn": -1,
  "yesterday": -1,
  "kemarin lusa": -2,
  "besok": 1,
  "bsk": 1,
  "esok": 1,
  "tomorrow": 1,
  "lusa": 2,
};

/** Day names to their number (0 Sunday .. 6 Saturday), for "senin depan", "hari jumat". */
export const WEEKDAY_NUMBERS: Readonly<Record<string, number>> = {
  minggu: 0, ahad: 0, sunday: 0, senin: 1, monday: 1, selasa: 2, tuesday: 2, rabu: 3, wednesday: 3,
  kamis: 4, thursday: 4, jumat: 5, "jum at": 5, friday: 5, sabtu: 6, saturday: 6,
};

/** Units of a relative date ("2 minggu lagi"): days, or months/years counted on the calendar. */
export const DATE_UNIT_WORDS: Readonly<Record<string, { days?: number; months?: number }>> = {
  hari: { days: 1 }, hr: { days: 1 }, day: { days: 1 }, days: { days: 1 },
  minggu: { days: 7 }, pekan: { days: 7 }, mgg: { days: 7 }, week: { days: 7 }, weeks: { days: 7 },
  bulan: { months: 1 }, bln: { months: 1 }, month: { months: 1 }, months: { months: 1 },
  tahun: { months: 12 }, thn: { months: 12 }, year: { months: 12 }, years: { months: 12 },
};

/** "seminggu", "sebulan": one of a unit. */
export const SE_UNIT_WORDS: Readonly<Record<string, string>> = { sehari: "hari", seminggu: "minggu", sepekan: "pekan", sebulan: "bulan", setahun: "tahun" };

/** After a unit: that many ahead ("2 minggu lagi", "bulan depan"; Balinese Indonesian also "minggu besok"). */
export const AHEAD_WORDS: readonly string[] = ["lagi", "depan", "mendatang", "kedepan", "besok", "nanti", "later", "next", "from now", "dari sekarang", "ke depan"];

/** After a unit: that many back ("2 minggu lalu"). */
export const BACK_WORDS: readonly string[] = ["lalu", "yang lalu", "yg lalu", "kemarin", "sebelumnya", "silam", "ago", "last"];

/** Words around a relative date that carry nothing ("nanti tanggal 5", "pada hari senin"). */
export const RELATIVE_FILLER_WORDS: readonly string[] = ["nanti", "pada", "tanggal", "tgl", "sekitar", "kira", "mulai", "insya", "allah", "insyaallah", "on", "in", "saja", "aja", "ya"];

/** Words for "yes" (after squeezing doubled letters: "iyaaa" -> "iya"). */
export const YES_WORDS: readonly string[] = [
  "ya", "iya", "iy", "y", "yes", "yess", "yup", "yap", "yep", "yeah", "yea", "ye", "iye", "iyo", "yo", "yoi",
  "ok", "oke", "okay", "okey", "okeh", "okei", "k", "kk", "sip", "siap", "siip", "mantap", "boleh", "bole", "blh",
  "betul", "benar", "bener", "bnr", "btl", "setuju", "stj", "mau", "tentu", "pasti", "sure", "right", "correct",
  "agree", "nggih", "ngih", "inggih", "enggih", "injih", "ho oh", "hooh", "he eh", "heeh", "sudah", "udah", "udh",
  "sdh", "dah", "ada", "punya", "pernah", "bisa", "of course", "tentu saja", "jelas", "betul sekali",
];

/** Words for "no". */
export const NO_WORDS: readonly string[] = [
  "tidak", "tdk", "tak", "gak", "ga", "gk", "g", "nggak", "ngga", "ngak", "nga", "enggak", "engga", "enga", "nda",
  "ndak", "kagak", "kaga", "gag", "no", "nope", "not", "n", "bukan", "bkn", "salah", "belum", "blm", "blom",
  "jangan", "jgn", "ogah", "emoh", "tidak usah", "gak usah", "ga usah", "gausah", "gk usah", "nggak usah",
  "ndak usah", "tdk usah", "never", "nothing", "none", "nggih ten", "ten", "nenten", "sing", "tusing",
];

/** Courtesy words and particles that change nothing in a yes/no answer ("iya pak", "gak kak, makasih"). */
export const COURTESY_WORDS: readonly string[] = [
  "pak", "bu", "bapak", "ibu", "kak", "ka", "kakak", "mas", "mbak", "mba", "dik", "adik", "min", "admin", "bli", "gus",
  "gek", "mbok", "om", "tante", "bos", "boss", "sis", "gan", "sih", "deh", "dong", "kok", "lah", "kah", "nih", "tuh",
  "aja", "saja", "kan", "lho", "loh", "kok", "terima", "kasih", "makasih", "makasi", "mksh", "thanks", "thank", "you",
  "thx", "tq", "please", "pls", "mohon", "maaf", "sorry", "saya", "aku", "sy", "gue", "gw", "juga", "jg", "kakk",
  "banget", "bgt", "sekali", "sangat", "very", "much", "sir", "madam", "i", "do", "hmm", "hm", "eh", "oh", "ah", "wah",
  "ehm", "em", "nggih ya",
];

/** Emoji that say yes or no. */
export const YES_EMOJI: readonly string[] = ["👍", "👌", "✅", "✔", "☑", "🆗", "🙆", "👏", "💯"];
export const NO_EMOJI: readonly string[] = ["👎", "❌", "✖", "❎", "🙅", "🚫", "⛔"];

/** Scale words of amounts, folded, to their multiplier. */
export const SCALE_WORDS: Readonly<Record<string, number>> = {
  ribu: 1e3, rb: 1e3, rbu: 1e3, rebu: 1e3, ribuan: 1e3, rban: 1e3, k: 1e3, rib: 1e3, thousand: 1e3, rbuan: 1e3,
  juta: 1e6, jt: 1e6, jta: 1e6, jutaan: 1e6, jtan: 1e6, jtaan: 1e6, million: 1e6, mio: 1e6, mln: 1e6, jutah: 1e6,
  miliar: 1e9, milyar: 1e9, milyard: 1e9, miliard: 1e9, milyaran: 1e9, miliaran: 1e9, m: 1e9, mlyr: 1e9,
  mlr: 1e9, billion: 1e9, bn: 1e9, b: 1e9,
  triliun: 1e12, trilyun: 1e12, t: 1e12, trillion: 1e12, tn: 1e12,
};

/** Scale words with "se-" ("one"): "sejuta" = 1 juta. */
export const SE_SCALE_WORDS: Readonly<Record<string, number>> = {
  seribu: 1e3, serebu: 1e3, sejuta: 1e6, semiliar: 1e9, semilyar: 1e9, setriliun: 1e12,
};

/** Number words below ten (and a few more) for "dua juta", "lima ratus ribu". */
export const DIGIT_WORDS: Readonly<Record<string, number>> = {
  nol: 0, kosong: 0, zero: 0,
  satu: 1, one: 1, dua: 2, two: 2, tiga: 3, three: 3, empat: 4, four: 4, lima: 5, five: 5,
  enam: 6, six: 6, tujuh: 7, seven: 7, delapan: 8, lapan: 8, eight: 8, sembilan: 9, nine: 9,
  sepuluh: 10, ten: 10, sebelas: 11, seratus: 100, hundred: 100,
};

/** "puluh" x10, "ratus" x100 inside a group below a thousand; "belas" adds ten. */
export const GROUP_WORDS: Readonly<Record<string, "puluh" | "ratus" | "belas">> = {
  puluh: "puluh", ratus: "ratus", belas: "belas",
};

/** "setengah" / "half": a half of the scale that follows or precedes ("satu setengah juta"). */
export const HALF_WORDS: readonly string[] = ["setengah", "stengah", "half"];

/** "10 tahun lalu": words after a number of years that count back from this year. */
export const YEARS_AGO_WORDS: readonly string[] = [
  "tahun lalu", "tahun yang lalu", "tahun yg lalu", "thn lalu", "thn yang lalu", "thn yg lalu", "th lalu", "tahun silam",
  "tahunan lalu", "years ago", "year ago",
];

/** A count of people answered as "just me": one. */
export const ALONE_WORDS: readonly string[] = [
  "sendiri", "sendirian", "saya sendiri", "sy sendiri", "cuma saya", "hanya saya", "saya saja", "saya aja", "cuma sendiri",
  "masih sendiri", "just me", "only me", "myself",
];

/** Words that join two numbers into a range ("5 sampai 10 juta"). */
export const RANGE_WORDS: readonly string[] = ["sampai", "sampe", "smp", "hingga", "to", "until", "sd", "atau", "or", "ato", "antara", "between"];

/** Words for "all of them" in a multiple choice. */
export const ALL_WORDS: readonly string[] = [
  "semua", "semuanya", "semua nya", "smua", "smuanya", "sma", "all", "all of them", "semua pilihan", "semuanya saja",
  "semua aja", "semuanya aja", "semua saja", "ambil semua", "pilih semua",
];

/** Words for "none of them" in a multiple choice that allows none. */
export const NONE_WORDS: readonly string[] = [
  "tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "enggak ada", "belum ada", "blm ada", "none", "nothing",
  "kosong", "tidak", "tidak satupun", "tidak satu pun", "no", "nope", "nihil", "gak", "ga", "nggak", "tdk",
];

/** Words that may precede a number in a choice ("no 2", "nomor 2", "yang ke-2", "pilih 2"). */
export const CHOICE_NUMBER_PREFIX: readonly string[] = [
  "no", "nomor", "nomer", "nmr", "nr", "number", "num", "pilih", "pilihan", "opsi", "option", "yang", "yg", "ke",
  "angka", "jawaban", "jawab", "jwb", "saya", "sy", "aku", "choice", "nomor nya",
];

/** Ordinal and cardinal words for a choice ("yang kedua", "dua"). */
export const CHOICE_NUMBER_WORDS: Readonly<Record<string, number>> = {
  satu: 1, pertama: 1, kesatu: 1, one: 1, first: 1,
  dua: 2, kedua: 2, two: 2, second: 2,
  tiga: 3, ketiga: 3, three: 3, third: 3,
  empat: 4, keempat: 4, four: 4, fourth: 4,
  lima: 5, kelima: 5, five: 5, fifth: 5,
  enam: 6, keenam: 6, six: 6, sixth: 6,
  tujuh: 7, ketujuh: 7, seven: 7, seventh: 7,
  delapan: 8, kedelapan: 8, eight: 8, eighth: 8,
  sembilan: 9, kesembilan: 9, nine: 9, ninth: 9,
  sepuluh: 10, kesepuluh: 10, ten: 10, tenth: 10,
};

/** Particles after a choice ("2 aja kak", "nomor 3 ya"). */
export const CHOICE_NUMBER_SUFFIX: readonly string[] = [
  "aja", "saja", "ya", "deh", "dong", "kak", "pak", "bu", "min", "mas", "mbak", "please", "pls", "nya", "sj",
];

/** Words that join items in a multiple-choice answer ("1 dan 3", "pemasaran & pembiayaan"). */
export const LIST_JOIN_WORDS: readonly string[] = ["dan", "and", "serta", "sama", "dgn", "dengan", "plus", "juga", "n"];

/** Words around a region name that carry nothing ("kecamatan Ubud", "desa Mas", "di kec. Sukawati"). */
export const REGION_FILLER_WORDS: readonly string[] = [
  "kecamatan", "kec", "kc", "desa", "ds", "kelurahan", "kel", "kabupaten", "kab", "kota", "daerah", "wilayah",
  "di", "dari", "saya", "sy", "aku", "tinggal", "rumah", "alamat", "domisili", "usaha", "tempat", "lokasi", "dsa",
  "ya", "aja", "saja", "pak", "bu", "kak", "desanya", "kecamatannya", "district", "village", "in", "at", "from",
];

/** "I forgot the number" in an identifier question: never stored as the number. */
export const NO_NUMBER_FORGOT_WORDS: readonly string[] = [
  "lupa", "lupa nomornya", "lupa nomor", "tidak ingat", "tdk ingat", "gak ingat", "ga ingat", "ga inget", "gak inget",
  "nggak inget", "ngga inget", "tidak hafal", "gak hafal", "ga hafal", "nggak hafal", "tidak tahu", "tdk tahu", "tidak tau",
  "gak tau", "ga tau", "gatau", "nggak tau", "ngga tau", "blm cek", "belum cek", "nanti dicek", "forgot", "forget", "dont know",
  "don t know", "not sure", "lupa lagi", "kelupaan",
];

/** "I have none (yet)" in an identifier question. */
export const NO_NUMBER_NONE_WORDS: readonly string[] = [
  "belum punya", "blm punya", "belum ada", "blm ada", "tidak punya", "tdk punya", "gak punya", "ga punya", "nggak punya",
  "ngga punya", "tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "belum", "blm", "blom", "belom", "tidak", "tdk",
  "gak", "ga", "nggak", "none", "no", "nothing", "belum bikin", "belum buat", "belum daftar", "belum terdaftar",
  "bukan anggota", "belum jadi anggota", "belum anggota", "not yet", "dont have", "don t have", "kosong", "nihil",
];

/** Written in capitals in a name on a form: legal forms and common abbreviations ("UD Sari Rasa"). */
export const NAME_UPPER_WORDS: readonly string[] = [
  "ud", "cv", "pt", "ksp", "kud", "ksu", "kub", "kwt", "pkk", "ukm", "umkm", "plut", "lpd", "bri", "bpd", "ii", "iii", "iv",
  "sh", "se", "st", "mm", "mba", "spd", "skm",
];

/** Small inside a name ("Ahmad bin Yusuf", "Toko Sari dan Putra"). */
export const NAME_LOWER_WORDS: readonly string[] = ["bin", "binti", "dan", "&"];
