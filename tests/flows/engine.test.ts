import { describe, expect, it } from "vitest";
import { EngineError, step } from "../../src/flows/engine.js";
import { DEFAULT_TIMER_POLICY, type SessionState, sessionTimers, ZSessionState } from "../../src/flows/session.js";
import { readFileSync } from "node:fs";
import { loadConversations, readConversationFiles } from "../../src/flows/load.js";
import {
  Chat,
  CONVERSATIONS_DIR,
  consented,
  ENGINE_FIXTURES,
  guest,
  otherTextFiles,
  photo,
  start,
  tap,
  testConversations,
} from "./helpers.js";

/** A chat in the demo fixture flow, past the intro, at the name question. */
function demo(person = consented()): Chat {
  const chat = new Chat(person);
  chat.send(start("demo"));
  return chat;
}

/** The demo flow answered up to its summary. */
function demoAtSummary(): Chat {
  const chat = demo();
  chat.all(["Made Wirawan", "2", "made@gmail.com", "tidak", "1, 3", "lewati"]);
  expect(chat.session?.mode).toBe("summary");
  return chat;
}

const submitted = (chat: Chat) => chat.log.flatMap((r) => r.effects).find((e) => e.type === "submitted");

describe("starting and answering", () => {
  it("says the intro and asks the first question", () => {
    const chat = demo();
    expect(chat.last.replies.map((r) => (r.type === "text" ? r.text : ""))).toEqual(["Halo, ini formulir uji.", "Siapa nama Anda?"]);
    expect(chat.session).toMatchObject({ flowId: "demo", flowVersion: 1, mode: "asking", position: { node: "name" } });
  });

  it("re-prompts after a bad answer with the parser's error and keeps the place", () => {
    const chat = demo();
    chat.send("Made");
    chat.send("2");
    expect(chat.session?.position.node).toBe("email");
    chat.send("made@");
    expect(chat.said).toContain("Silakan coba lagi: Email");
    expect(chat.session?.position.node).toBe("email");
    expect(chat.last.effects).toEqual([]);
    chat.send("made@gmail.com");
    expect(chat.session?.position.node).toBe("has_nib");
  });

  it("reads choices by tap, number, label and typo", () => {
    for (const answer of [tap("green"), "2", "hijau", "Hijauu"]) {
      const chat = demo();
      chat.send("Made Wirawan");
      chat.send(answer);
      expect(chat.session?.answers.color?.value).toBe("green");
    }
  });

  it("refuses a stale button and keeps the place", () => {
    const chat = demo();
    chat.send("Made Wirawan");
    chat.send(tap("purple"));
    expect(chat.said).toContain("Tombol itu dari pertanyaan sebelumnya");
    expect(chat.session?.position.node).toBe("color");
  });

  it("asks a conditional question only when its condition holds", () => {
    const yes = demo();
    yes.all(["Made Wirawan", "1", "lewati", "ya"]);
    expect(yes.session?.position.node).toBe("nib");
    const no = demo();
    no.all(["Made Wirawan", "1", "lewati", "tidak"]);
    expect(no.session?.position.node).toBe("tags");
  });

  it("toggles a multiple choice with taps and finishes with Selesai", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "1", "lewati", "tidak"]);
    chat.send(tap("wa"));
    expect(chat.said).toContain("Sudah dipilih: WhatsApp");
    expect(chat.lastReply.choices?.[0]?.label).toBe("✓ WhatsApp");
    chat.send(tap("shop"));
    chat.send(tap("wa"));
    chat.send(tap("ig"));
    expect(chat.said).toContain("Sudah dipilih: Instagram, Toko");
    chat.send(tap("ctl:done"));
    expect(chat.session?.answers.tags?.value).toEqual(["ig", "shop"]);
    expect(chat.session?.position.node).toBe("doc");
  });

  it("keeps an exclusive option alone", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "1", "lewati", "tidak", tap("wa"), tap("none")]);
    expect(chat.said).toContain("Sudah dipilih: Belum ada");
    chat.send("selesai");
    expect(chat.session?.answers.tags?.value).toEqual(["none"]);
  });

  it("does not finish a multiple choice with nothing picked", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "1", "lewati", "tidak", tap("ctl:done")]);
    expect(chat.session?.position.node).toBe("tags");
    expect(chat.said).toContain("paling sedikit 1");
  });
});

describe("controls", () => {
  it("kembali at the first question says so and stays", () => {
    const chat = demo();
    chat.send("kembali");
    expect(chat.said).toContain("Ini sudah pertanyaan pertama.");
    expect(chat.session?.position.node).toBe("name");
  });

  it("command words come from the texts loaded: reloaded texts with other words for kembali take effect", () => {
    demo().send("kembali"); // the words of the first texts are made and kept
    const engineTexts = readFileSync(`${CONVERSATIONS_DIR}/texts/id/engine.yaml`, "utf8");
    const reloaded = loadConversations(CONVERSATIONS_DIR, {
      overlay: {
        ...otherTextFiles(),
        ...readConversationFiles(ENGINE_FIXTURES),
        "texts/id/engine.yaml": engineTexts.replace(/^cmd\.back: .*$/m, 'cmd.back: "mundur dulu"'),
      },
    });
    const chat = new Chat(consented(), reloaded);
    chat.all([start("demo"), "Made Wirawan"]);
    expect(chat.session?.position.node).toBe("color");
    chat.send("Mundur dulu!");
    expect(chat.session?.position.node).toBe("name");
    chat.send("Made Wirawan");
    chat.send("kembali"); // no longer a command: read as an answer to the color question, which it is not
    expect(chat.session?.position.node).toBe("color");
  });

  it("kembali goes back one question, shows the previous answer and offers to keep it", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2"]);
    chat.send("/kembali");
    expect(chat.session?.position.node).toBe("color");
    expect(chat.said).toContain("Jawaban sebelumnya: Hijau");
    expect(chat.choiceIds).toContain("ctl:keep");
    chat.send(tap("ctl:keep"));
    expect(chat.session?.position.node).toBe("email");
    expect(chat.session?.answers.color?.value).toBe("green");
  });

  it("kembali twice, then answering again goes forward one question at a time", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "kembali", "back"]);
    expect(chat.session?.position.node).toBe("name");
    chat.send("Made Wirawan Putra");
    expect(chat.session?.position.node).toBe("color");
    expect(chat.said).toContain("Jawaban sebelumnya: Hijau");
  });

  it("lewati skips an optional question and refuses a required one", () => {
    const chat = demo();
    chat.send("lewati");
    expect(chat.said).toContain("wajib diisi");
    expect(chat.session?.position.node).toBe("name");
    chat.all(["Made Wirawan", "2"]);
    expect(chat.choiceIds).toContain("ctl:skip");
    chat.send("/skip");
    expect(chat.session?.answers.email).toMatchObject({ skipped: true });
    expect(chat.session?.position.node).toBe("has_nib");
  });

  it("bantuan explains the question (own help, else the type's) and asks again", () => {
    const chat = demo();
    chat.send("bantuan");
    expect(chat.last.replies).toHaveLength(2);
    expect(chat.said).toContain("Tulis nama lengkap Anda.");
    expect(chat.said).toContain("Perintah yang bisa diketik");
    expect(chat.lastReply.text).toContain("Siapa nama Anda?");
    chat.send("Made Wirawan");
    chat.send("/help");
    expect(chat.said).toContain("Tekan salah satu tombol");
    expect(chat.session?.position.node).toBe("color");
  });

  it("batal asks first; tidak continues where the person was", () => {
    const chat = demo();
    chat.send("Made Wirawan");
    chat.send("batal");
    expect(chat.said).toContain("Yakin mau membatalkan formulir uji?");
    expect(chat.session?.overlay).toBe("confirm_cancel");
    chat.send("tidak");
    expect(chat.session?.overlay).toBeNull();
    expect(chat.said).toContain("Warna kesukaan?");
    expect(chat.last.effects).toEqual([]);
  });

  it("batal then ya cancels, ends the session and deletes stored files", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "lewati", "tidak", "1", photo("file-1")]);
    expect(chat.session?.answers.doc).toBeDefined();
    chat.send("batal");
    chat.send(tap("ctl:cancel_yes"));
    expect(chat.session).toBeNull();
    expect(chat.last.effects).toEqual([
      { type: "cancelled", flowId: "demo" },
      { type: "media_discarded", storageKey: "file-1" },
    ]);
    expect(chat.said).toContain("dibatalkan");
  });

  it("menu in a flow shows what can be done without leaving, and lanjut returns", () => {
    const chat = demo(consented({ isClient: true }));
    chat.send("menu");
    expect(chat.session?.overlay).toBe("menu");
    expect(chat.choiceIds).toEqual(["ctl:continue", "menu:status", "menu:reminders_off", "menu:language", "menu:my_data"]);
    chat.send("lanjut");
    expect(chat.session?.overlay).toBeNull();
    expect(chat.said).toContain("Siapa nama Anda?");
  });

  it("status asked in the middle of a flow is answered, then the question comes again", () => {
    const chat = demo(
      consented({
        isClient: true,
        cases: [{ regNumber: "PLUT-GIA-2026-000123", statusKey: "status.assigned", areaKey: "area.pemasaran", createdAt: "2026-02-10T02:00:00.000Z" }],
      }),
    );
    chat.send("status");
    expect(chat.last.effects).toEqual([{ type: "request", name: "status" }]);
    expect(chat.said).toContain("PLUT-GIA-2026-000123, didaftarkan Selasa, 10 Februari 2026: sudah ditunjuk konsultan");
    expect(chat.said).toContain("Bidang: Pemasaran");
    expect(chat.lastReply.text).toContain("Siapa nama Anda?");
  });

  it("switches language mid-flow: 'english' at once, 'bahasa' with a choice", () => {
    const chat = demo();
    chat.send("Made Wirawan");
    chat.send("english");
    expect(chat.last.effects).toEqual([{ type: "language_changed", language: "en" }]);
    expect(chat.said).toContain("Okay, we'll continue in English.");
    expect(chat.lastReply.text).toContain("Favourite colour?");
    expect(chat.lastReply.choices?.map((c) => c.label)).toEqual(["Red", "Green", "Blue"]);
    chat.send("green");
    expect(chat.session?.answers.color?.value).toBe("green");
    chat.send("bahasa");
    expect(chat.session?.overlay).toBe("choose_language");
    chat.send(tap("lang:id"));
    expect(chat.said).toContain("Email Anda?");
    expect(chat.person.language).toBe("id");
  });

  it("turns reminders off and on", () => {
    const chat = new Chat(consented({ isClient: true }));
    chat.send("berhenti pengingat");
    expect(chat.last.effects).toEqual([{ type: "reminders_toggled", on: false }]);
    chat.send("/menu");
    expect(chat.choiceIds).toContain("menu:reminders_on");
    chat.send(tap("menu:reminders_on"));
    expect(chat.last.effects).toEqual([{ type: "reminders_toggled", on: true }]);
  });
});

describe("summary and changing answers", () => {
  it("shows every answer with kirim / ubah / batal", () => {
    const chat = demoAtSummary();
    const s = chat.lastReply;
    expect(s.text).toContain("Ringkasan uji:");
    expect(s.text).toContain("• Nama: Made Wirawan");
    expect(s.text).toContain("• Email: made@gmail.com");
    expect(s.text).toContain("• Dokumen: (dilewati)");
    expect(s.choices?.map((c) => c.id)).toEqual(["ctl:submit", "ctl:edit", "ctl:cancel"]);
  });

  it("ubah lists the answers; the one picked is asked, then the summary comes back", () => {
    const chat = demoAtSummary();
    chat.send("ubah");
    expect(chat.session?.mode).toBe("editing");
    expect(chat.said).toContain("2. Warna: Hijau");
    chat.send("2");
    expect(chat.session?.position.node).toBe("color");
    chat.send("biru");
    expect(chat.session?.mode).toBe("summary");
    expect(chat.said).toContain("• Warna: Biru");
    chat.send("kirim");
    expect(submitted(chat)).toMatchObject({ data: { "client.fullName": "Made Wirawan" }, answers: expect.arrayContaining([expect.objectContaining({ questionId: "color", value: "blue" })]) });
    expect(chat.session).toBeNull();
  });

  it("'ubah 1' changes line 1 directly; kembali while changing returns to the summary unchanged", () => {
    const chat = demoAtSummary();
    chat.send("ubah 1");
    expect(chat.session?.position.node).toBe("name");
    chat.send("kembali");
    expect(chat.session?.mode).toBe("summary");
    expect(chat.session?.answers.name?.value).toBe("Made Wirawan");
  });

  it("a change that opens a conditional question asks it before returning to the summary", () => {
    const chat = demoAtSummary();
    chat.send(tap("ctl:edit"));
    chat.send(tap("edit:has_nib"));
    chat.send("ya");
    expect(chat.session?.position.node).toBe("nib");
    chat.send("1234567890123");
    expect(chat.session?.mode).toBe("summary");
    expect(chat.said).toContain("• NIB: 1234567890123");
  });

  it("an answer that no longer applies is left out of the submission", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "lewati", "ya", "1234567890123", "1", "lewati"]);
    chat.all(["ubah", tap("edit:has_nib"), "tidak", "kirim"]);
    const e = submitted(chat);
    if (e?.type !== "submitted") throw new Error("not submitted");
    expect(Object.keys(e.data)).not.toContain("business.nibTdp");
    expect(e.answers.map((a) => a.questionId)).not.toContain("nib");
  });

  it("kembali at the summary goes to the last question", () => {
    const chat = demoAtSummary();
    chat.send("kembali");
    expect(chat.session).toMatchObject({ mode: "asking", position: { node: "doc" } });
  });

  it("submitted carries flow, version, action, vars, data by store path and answers", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "made@gmail.com", "tidak", "1, 3", photo("file-9"), "kirim"]);
    expect(submitted(chat)).toEqual({
      type: "submitted",
      flowId: "demo",
      flowVersion: 1,
      action: "demo_action",
      vars: {},
      data: {
        "client.fullName": "Made Wirawan",
        "client.email": "made@gmail.com",
        "document.identity": { kind: "photo", mimeType: "image/jpeg", size: 120000, sha256: "sha-file-9", storageKey: "file-9" },
      },
      answers: [
        { questionId: "name", store: "client.fullName", value: "Made Wirawan", display: "Made Wirawan", labelKey: "test.name.label" },
        { questionId: "color", value: "green", display: "Hijau", labelKey: "test.color.label" },
        { questionId: "email", store: "client.email", value: "made@gmail.com", display: "made@gmail.com", labelKey: "test.email.label" },
        { questionId: "has_nib", value: false, display: "Tidak", labelKey: "test.has_nib.label" },
        { questionId: "tags", value: ["wa", "shop"], display: "WhatsApp, Toko", labelKey: "test.tags.label" },
        {
          questionId: "doc",
          store: "document.identity",
          value: { kind: "photo", mimeType: "image/jpeg", size: 120000, sha256: "sha-file-9", storageKey: "file-9" },
          display: "foto (117 KB)",
          labelKey: "test.doc.label",
        },
      ],
    });
    expect(chat.said).toContain("Terima kasih, formulir uji terkirim.");
  });
});

describe("media and consent", () => {
  it("a file sent before consent is not kept: the person is told and consent is asked", () => {
    const chat = new Chat(guest());
    chat.send(photo(null));
    expect(chat.last.effects).toEqual([]);
    expect(chat.said).toContain("File Anda tidak kami simpan");
    expect(chat.session?.flowId).toBe("consent");
  });

  it("a file the host stored although there is no consent is discarded", () => {
    const chat = new Chat(guest());
    chat.send(photo("leaked"));
    expect(chat.last.effects).toEqual([{ type: "media_discarded", storageKey: "leaked" }]);
  });

  it("nothing is stored before setuju; setuju records consent, then the asked flow starts", () => {
    const chat = new Chat(guest());
    chat.send("daftar");
    expect(chat.session?.flowId).toBe("consent");
    expect(chat.last.effects).toEqual([]);
    chat.send("setuju");
    expect(chat.last.effects).toEqual([{ type: "consent_given", consentVersion: "pdp-2025-1", language: "id" }]);
    expect(chat.session?.flowId).toBe("registration");
  });

  it("tidak setuju ends without storing anything", () => {
    const chat = new Chat(guest());
    chat.all(["daftar", tap("disagree")]);
    expect(chat.session).toBeNull();
    expect(chat.last.effects).toEqual([]);
    expect(chat.said).toContain("Tidak ada data Anda yang kami simpan");
  });

  it("a file whose key is null (not stored) at a file question is asked again", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "lewati", "tidak", "1"]);
    chat.send(photo(null));
    expect(chat.said).toContain("File Anda tidak kami simpan");
    expect(chat.session?.position.node).toBe("doc");
  });

  it("a file at a text question is discarded and the question asked again", () => {
    const chat = demo();
    chat.send(photo("k7"));
    expect(chat.last.effects).toEqual([{ type: "media_discarded", storageKey: "k7" }]);
    expect(chat.session?.position.node).toBe("name");
  });

  it("a file sent while a yes/no overlay is open is discarded and the overlay asked again", () => {
    const chat = demo();
    chat.send("batal");
    chat.send(photo("k8"));
    expect(chat.last.effects).toEqual([{ type: "media_discarded", storageKey: "k8" }]);
    expect(chat.session?.overlay).toBe("confirm_cancel");
    expect(chat.lastReply.text).toContain("Yakin mau membatalkan");
  });

  it("a file too large for the question is refused and discarded", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", "lewati", "tidak", "1"]);
    chat.send(photo("big", 5 * 1024 * 1024));
    expect(chat.last.effects).toEqual([{ type: "media_discarded", storageKey: "big" }]);
    expect(chat.said).toContain("paling besar 1 MB");
  });

  it("a file the channel refused and unsupported messages get a short reply and the question again", () => {
    const chat = demo();
    chat.send({ type: "rejected_media", reason: "too_large", limitBytes: 20 * 1024 * 1024 });
    expect(chat.said).toContain("paling besar 20 MB");
    chat.send({ type: "unsupported", what: "sticker" });
    expect(chat.said).toContain("belum bisa kami baca");
    expect(chat.lastReply.text).toContain("Siapa nama Anda?");
  });
});

describe("quiet people", () => {
  it("nudges once, with the open question", () => {
    const chat = demo();
    chat.send({ type: "nudge" }, 31 * 60_000);
    expect(chat.last.replies).toHaveLength(1);
    expect(chat.lastReply.text).toContain("masih di sana");
    expect(chat.lastReply.text).toContain("Siapa nama Anda?");
    expect(chat.session?.nudged).toBe(true);
    chat.send({ type: "nudge" });
    expect(chat.last.replies).toEqual([]);
  });

  it("nudges again only after the person spoke", () => {
    const chat = demo();
    chat.send({ type: "nudge" });
    chat.send("Made Wirawan");
    expect(chat.session?.nudged).toBe(false);
    chat.send({ type: "nudge" });
    expect(chat.last.replies).toHaveLength(1);
  });

  it("nudge and expire without a session do nothing", () => {
    const chat = new Chat(guest());
    expect(chat.send({ type: "nudge" })).toEqual({ session: null, replies: [], effects: [] });
    expect(chat.send({ type: "expire" })).toEqual({ session: null, replies: [], effects: [] });
  });

  it("expiring keeps the answers; coming back offers to continue where the person stopped", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2"]);
    chat.send({ type: "expire" }, 7 * 86_400_000);
    expect(chat.last.replies).toEqual([]);
    expect(chat.session?.expiredAt).not.toBeNull();
    expect(chat.session?.answers.color?.value).toBe("green");
    chat.send("halo", 2 * 86_400_000);
    expect(chat.said).toContain("Anda pernah mengisi formulir uji");
    expect(chat.choiceIds).toEqual(["ctl:resume", "ctl:restart"]);
    chat.send("lanjut");
    expect(chat.said).toContain("Email Anda?");
    expect(chat.session?.position.node).toBe("email");
  });

  it("coming back after expiry can start again", () => {
    const chat = demo();
    chat.all(["Made Wirawan", "2", photo("x")]);
    chat.send({ type: "expire" });
    chat.send("halo");
    chat.send(tap("ctl:restart"));
    expect(chat.session?.answers).toEqual({});
    expect(chat.said).toContain("Siapa nama Anda?");
  });

  it("sessionTimers: nudge after 30 minutes (once), expire after 7 days", () => {
    const chat = demo();
    const s = chat.session as SessionState;
    const last = Date.parse(s.lastActivityAt);
    expect(sessionTimers(s)).toEqual({ nudgeAt: new Date(last + 30 * 60_000), expireAt: new Date(last + 7 * 86_400_000) });
    expect(sessionTimers({ ...s, nudged: true }).nudgeAt).toBeNull();
    expect(sessionTimers({ ...s, expiredAt: s.lastActivityAt })).toEqual({ nudgeAt: null, expireAt: null });
    expect(sessionTimers(null)).toEqual({ nudgeAt: null, expireAt: null });
    expect(sessionTimers(s, { ...DEFAULT_TIMER_POLICY, nudgeAfterMinutes: 60 }).nudgeAt).toEqual(new Date(last + 3_600_000));
  });
});

describe("flow versions", () => {
  const onVersion = (flowId: string, version: number, answers: SessionState["answers"], position: string): SessionState => ({
    schema: 1,
    flowId,
    flowVersion: version,
    vars: {},
    mode: "asking",
    overlay: null,
    position: { node: position },
    answers,
    history: [{ node: "name" }],
    returnToSummary: false,
    groups: {},
    queue: [],
    startedAt: "2026-03-01T01:00:00.000Z",
    lastActivityAt: "2026-03-01T01:00:00.000Z",
    nudged: false,
    expiredAt: null,
  });

  it("a session on an archived version continues on it", () => {
    const chat = new Chat(consented());
    chat.session = onVersion("vercont", 1, { name: { value: "Made", type: "text" } }, "color");
    chat.send("hijau");
    expect(chat.last.effects).toEqual([
      expect.objectContaining({ type: "submitted", flowId: "vercont", flowVersion: 1, answers: [expect.objectContaining({ questionId: "name" }), expect.objectContaining({ questionId: "color" })] }),
    ]);
  });

  it("a session is moved to the new version by a map rule, keeping its answers", () => {
    const chat = new Chat(consented());
    chat.session = onVersion("vermap", 2, { old_name: { value: "Made", type: "text" } }, "color");
    chat.send("hijau");
    expect(chat.said).toContain("baru saja kami perbarui");
    expect(chat.session).toMatchObject({ flowVersion: 3, answers: { name: { value: "Made" } }, position: { node: "color" } });
    expect(chat.session?.history).toEqual([{ node: "name" }]);
    chat.send("hijau");
    expect(chat.session?.position.node).toBe("age");
  });

  it("a session is restarted on the new version when the rule says restart", () => {
    const chat = new Chat(consented());
    chat.session = onVersion("vermap", 1, { name: { value: "Made", type: "text" } }, "color");
    chat.send("hijau");
    expect(chat.said).toContain("perlu diulang dari awal");
    expect(chat.session).toMatchObject({ flowVersion: 3, answers: {}, position: { node: "name" } });
  });

  it("a session on a version that is neither kept nor migrated restarts with a notice", () => {
    const chat = new Chat(consented());
    chat.session = onVersion("demo", 0 + 7, {}, "name");
    chat.send("Made");
    expect(chat.said).toContain("perlu diulang dari awal");
    expect(chat.session).toMatchObject({ flowVersion: 1, position: { node: "name" } });
  });
});

describe("host messages", () => {
  it("a flow started while another is open waits until that one ends", () => {
    const chat = demo();
    chat.send(start("vercont"));
    expect(chat.last.replies).toEqual([]);
    expect(chat.session?.flowId).toBe("demo");
    chat.all(["Made Wirawan", "2", "lewati", "tidak", "1", "lewati", "kirim"]);
    expect(chat.session?.flowId).toBe("vercont");
    expect(chat.said).toContain("Siapa nama Anda?");
  });

  it("the same start twice is ignored", () => {
    const chat = demo();
    chat.send(start("demo"));
    expect(chat.last.replies).toEqual([]);
    expect(chat.session?.queue).toEqual([]);
  });

  it("a flow that needs consent asks for it first", () => {
    const chat = new Chat(guest({ isClient: true }));
    chat.send(start("survey", { caseId: "c1", regNumber: "PLUT-GIA-2026-000001" }));
    expect(chat.session?.flowId).toBe("consent");
    chat.send("setuju");
    expect(chat.session?.flowId).toBe("survey");
  });

  it("an unknown flow or missing vars are the host's mistake", () => {
    const conversations = testConversations();
    const base = { conversations, session: null, person: consented(), now: new Date() };
    expect(() => step({ ...base, message: start("nope") })).toThrow(EngineError);
    expect(() => step({ ...base, message: start("action_plan", { caseId: "c1" }) })).toThrow(/regNumber/);
    expect(() => step({ ...base, message: start("monitoring", { caseId: "c1", regNumber: "R", items: "x" }) })).toThrow(/list/);
  });
});

describe("no flow open", () => {
  it("shows the menu for a guest and for a client", () => {
    const g = new Chat(guest());
    g.send("halo");
    expect(g.choiceIds).toEqual(["menu:registration", "menu:complaint", "menu:language"]);
    const c = new Chat(consented({ isClient: true }));
    c.send("/start");
    expect(c.choiceIds).toEqual([
      "menu:new_case",
      "menu:status",
      "menu:profile_update",
      "menu:complaint",
      "menu:reminders_off",
      "menu:language",
      "menu:my_data",
      "menu:delete_my_data",
    ]);
  });

  it("picks a menu entry by number or by words", () => {
    const chat = new Chat(consented({ isClient: true }));
    chat.send("1");
    expect(chat.session?.flowId).toBe("new_case");
    const other = new Chat(consented({ isClient: true }));
    other.send("saya mau komplain");
    expect(other.session?.flowId).toBe("complaint");
  });

  it("my data shows what is on file, masked", () => {
    const chat = new Chat(
      consented({ isClient: true, client: { "client.fullName": "Ni Made Sari", "client.nik": "5104015708850001", "business.sector": "kuliner" } }),
    );
    chat.send("data saya");
    expect(chat.last.effects).toEqual([{ type: "request", name: "my_data" }]);
    expect(chat.said).toContain("• Nama lengkap: Ni Made Sari");
    expect(chat.said).toContain("• NIK: 5104********0001");
    expect(chat.said).toContain("• Bidang usaha: Kuliner (makanan & minuman)");
    expect(chat.said).not.toContain("5104015708850001");
  });

  it("hapus data saya asks to confirm, then requests the deletion", () => {
    const chat = new Chat(consented({ isClient: true }));
    chat.send("hapus data saya");
    expect(chat.session?.flowId).toBe("delete_my_data");
    chat.send("ya");
    expect(chat.last.effects).toEqual([{ type: "request", name: "delete_my_data" }]);
    expect(chat.said).toContain("3x24 jam");
  });

  it("the session JSON is versioned and validated", () => {
    const chat = demo();
    expect(ZSessionState.parse(JSON.parse(JSON.stringify(chat.session))).schema).toBe(1);
  });
});

describe("registration specifics", () => {
  /** Registration, consent given, up to the NIK. */
  function toNik(): Chat {
    const chat = new Chat(consented({ channelPhone: "+6281234567890" }));
    chat.all(["daftar", "Ni Made Sari Dewi", "perempuan", "17-08-1985"]);
    expect(chat.session?.position.node).toBe("nik");
    return chat;
  }

  it("checks the NIK against the birth date and sex asked before it", () => {
    const chat = toNik();
    chat.send("5104011708850001");
    expect(chat.said).toContain("jenis kelamin");
    expect(chat.session?.position.node).toBe("nik");
    chat.send("5104015708850001");
    expect(chat.session?.position.node).toBe("phone");
    expect(chat.lastReply.choices?.[0]).toEqual({ id: "ctl:channel_phone", label: "Pakai nomor ini: 0812-3456-7890" });
    expect(chat.lastReply.requestContact).toBe(true);
  });

  it("a shared contact answers the phone question", () => {
    const chat = toNik();
    chat.send("5104015708850001");
    chat.send({ type: "contact", phone: "+62 812-9999-8888", isOwn: true });
    expect(chat.session?.answers.phone?.value).toBe("+6281299998888");
  });

  it("a NIK that no longer matches a changed birth date is asked again", () => {
    const chat = toNik();
    chat.send("5104015708850001");
    chat.all(["kembali", "kembali"]);
    expect(chat.session?.position.node).toBe("birth_date");
    chat.send("18-08-1985");
    expect(chat.session?.answers.nik).toBeUndefined();
    expect(chat.session?.position.node).toBe("nik");
  });

  it("changing the kecamatan from the summary asks the desa again", () => {
    const chat = new Chat(consented({ isClient: true, client: { "client.address": "Br. Teges", "client.kecamatan": "510405", "client.desa": "5104052006" } }));
    chat.all(["ubah data", "alamat"]);
    expect(chat.said).toContain("Data saat ini: Br. Teges");
    chat.all(["Br. Teges Kanginan", "ubud", "peliatan"]);
    expect(chat.session?.mode).toBe("summary");
    chat.all(["ubah", tap("edit:kecamatan"), "blahbatuh"]);
    expect(chat.session?.answers.desa).toBeUndefined();
    expect(chat.session?.position.node).toBe("desa");
    chat.send("blahbatuh");
    expect(chat.session?.mode).toBe("summary");
    chat.send("kirim");
    expect(submitted(chat)).toMatchObject({ action: "profile_update", data: { "client.kecamatan": "510402", "client.desa": "5104022005" } });
  });

  it("asks the desa inside Gianyar and skips it outside", () => {
    const chat = toNik();
    chat.all(["5104015708850001", tap("ctl:channel_phone"), "Jl. Raya Ubud"]);
    chat.send("ubud");
    expect(chat.session?.position.node).toBe("desa");
    chat.send("kembali");
    chat.send("Denpasar");
    expect(chat.session?.answers.kecamatan?.value).toBe("luar");
    expect(chat.session?.position.node).toBe("email");
  });
});
