/** The dashboard's and reports' texts: both languages, same placeholders, every key the code names. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkConversationFiles, readConversationFiles } from "../../src/flows/load.js";
import { placeholdersOf } from "../../src/i18n/index.js";
import { SOP_STEPS, CASE_STATUSES } from "../../src/domain/cases/steps.js";
import { SKM_ELEMENTS } from "../../src/domain/reports/stats.js";
import { keyPart } from "../../src/domain/reports/labels.js";
import { PERIOD_ERRORS } from "../../src/domain/reports/period.js";
import { dashboardTexts } from "../reports/fixture.js";

const texts = dashboardTexts();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("dashboard.yaml", () => {
  it("holds only dash.* and report.* keys, the same in both languages with the same placeholders", () => {
    expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.id).sort());
    for (const [k, v] of Object.entries(texts.id)) {
      expect(k).toMatch(/^(dash|report)\.[a-z0-9_]+(\.[a-z0-9_-]+)*$/);
      expect(placeholdersOf(texts.en[k]!), k).toEqual(placeholdersOf(v));
    }
  });

  it("has every key the code names, literal or built from a known list", () => {
    const used = new Set<string>();
    for (const f of [...sourceFiles("src/domain/reports"), ...sourceFiles("src/http/dashboard")]) {
      for (const m of fs.readFileSync(f, "utf8").matchAll(/"((?:dash|report)\.[a-z0-9_.-]+[a-z0-9_])"/g)) used.add(m[1]!);
    }
    for (const s of SOP_STEPS) used.add(`report.step.${s.step}`);
    for (const s of Object.keys(CASE_STATUSES)) used.add(`report.status.${s}`);
    for (const e of SKM_ELEMENTS) used.add(`report.skm.${keyPart(e.code)}`);
    for (const c of ["a", "b", "c", "d"]) used.add(`report.skm.category.${c}`);
    for (const a of ["client", "admin", "consultant", "admin_consultant", "admin_head"]) used.add(`report.actor.${a}`);
    for (const r of ["admin", "consultant", "head"]) used.add(`report.role.${r}`);
    for (const e of PERIOD_ERRORS) used.add(e);
    for (const s of [400, 403, 404, 500]) used.add(`dash.error.${s}`).add(`dash.error.${s}_title`);
    for (const k of ["new", "being_handled", "answered", "closed"]) used.add(`dash.complaint.${k}`);
    for (const k of ["registration", "consultation", "action_plan", "monitoring", "referral", "report", "relay", "closing"]) used.add(`dash.contact.${k}`);
    for (const k of ["ktp", "kk", "passport", "sim", "plut_card", "company_profile", "tdp_nib", "deed", "final_report", "control_card"]) used.add(`dash.doc.${k}`);
    for (const k of ["diagnosis", "note", "prescription", "service"]) used.add(`dash.note.${k}`);
    for (const k of ["draft", "submitted", "agreed", "changes_requested"]) used.add(`dash.plan.${k}`);
    for (const k of ["open", "done", "not_yet", "help"]) used.add(`dash.progress.${k}`);
    for (const k of ["area", "service", "kecamatan", "sector", "consultant", "sla", "skm"]) used.add(`dash.table.${k}`);
    for (const k of ["hari_ini", "minggu_ini", "bulan_ini", "bulan_lalu", "tahun_ini"]) used.add(`dash.overview.quick.${k}`);
    for (const k of ["nik", "reg", "name"]) used.add(`report.search.none_${k}`);
    const missing = [...used].filter((k) => texts.id[k] === undefined).sort();
    expect(missing).toEqual([]);
  });

  it("passes the project's own check of conversations/ (no clash with other texts files)", () => {
    const r = checkConversationFiles(readConversationFiles("conversations"));
    expect(r.issues.filter((i) => i.file.includes("dashboard.yaml"))).toEqual([]);
  });
});
