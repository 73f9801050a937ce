/** Requests answered from the person context alone: the status of their cases, the data on file. */
import type { LoadedConversations } from "../load.js";
import { isQuestion, type QuestionNode } from "../definition.js";
import { todayIn, toIso } from "../questions/date.js";
import { formatFullDate } from "../../i18n/index.js";
import { getType } from "../registry.js";
import { clip, type Turn } from "./turn.js";

export function renderStatus(turn: Turn): string {
  const cases = turn.person.cases ?? [];
  if (!turn.person.isClient || cases.length === 0) return turn.t("engine.status.none");
  const lines = cases.map((k) => {
    const created = typeof k.createdAt === "string" ? new Date(k.createdAt) : k.createdAt;
    const line = turn.t("engine.status.line", {
      regNumber: k.regNumber,
      status: turn.t(k.statusKey),
      date: formatFullDate(toIso(todayIn(created)), turn.lang),
    });
    return k.areaKey ? `${line}\n${turn.t("engine.status.area", { area: turn.t(k.areaKey) })}` : line;
  });
  return `${turn.t("engine.status.header")}\n\n${lines.join("\n\n")}`;
}

export function renderMyData(turn: Turn): string {
  if (!turn.person.hasConsent) return turn.t("engine.my_data.no_consent");
  const file = turn.person.client ?? {};
  const lines: string[] = [];
  for (const [path, value] of Object.entries(file)) {
    if (value === undefined || value === null) continue;
    const q = findStoreQuestion(turn.c, path);
    if (!q) continue;
    const type = getType(q.type);
    const ctx = turn.ctxWith(undefined, () => undefined, undefined, undefined);
    const shown = type ? type.display(q, value, ctx) : String(value);
    lines.push(turn.t("engine.summary.item", { label: turn.t(q.label), answer: clip(shown, 200) }));
  }
  if (lines.length === 0) return `${turn.t("engine.my_data.empty")}\n\n${turn.t("engine.my_data.footer")}`;
  return `${turn.t("engine.my_data.header")}\n\n${lines.join("\n")}\n\n${turn.t("engine.my_data.footer")}`;
}

/** The question that stores a path, in menu flows first (registration), to label and show a value on file. */
function findStoreQuestion(c: LoadedConversations, path: string): QuestionNode | undefined {
  const flows = [...c.flows.values()].sort((a, b) => Number(!!b.def.menu) - Number(!!a.def.menu));
  for (const f of flows) {
    for (const e of f.index.values()) if (isQuestion(e.node) && !e.group && e.node.store === path) return e.node;
  }
  return undefined;
}
