/**
 * Outbound -> the Cloud API messages that deliver it. Pure: the same plan is rebuilt when the outbox
 * retries, so parts already delivered can be skipped.
 *
 * Choices: up to 3 short ones as reply buttons, up to 10 as a list message, within WhatsApp's
 * limits (button title 20, row title 24, row description 72, body 1,024 characters); more, or
 * longer labels, as a numbered list in the text. A typed number or label answers in every case
 * (the engine reads it), so a person on an old phone that shows no buttons can still answer.
 */
import { splitText } from "../channel.js";
import type { Outbound } from "../../messaging/model.js";

export const CLOUD_LIMITS = {
  maxText: 4096,
  maxBody: 1024,
  maxCaption: 1024,
  maxButtons: 3,
  maxButtonTitle: 20,
  maxRows: 10,
  maxRowTitle: 24,
  maxRowDescription: 72,
  maxListButton: 20,
  maxChoiceId: 256,
  /** Documents the Cloud API takes (upload limit). */
  maxDocumentBytes: 100 * 1024 * 1024,
} as const;

/** One Cloud API message of a send (the `type`-specific part of the request body). */
export type CloudPart =
  | { type: "text"; text: { body: string; preview_url: false } }
  | {
      type: "interactive";
      interactive:
        | { type: "button"; body: { text: string }; action: { buttons: { type: "reply"; reply: { id: string; title: string } }[] } }
        | {
            type: "list";
            body: { text: string };
            action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] };
          };
    }
  | { type: "document"; upload: { fileName: string; caption?: string } };

type TextOutbound = Extract<Outbound, { type: "text" }>;
type DocumentOutbound = Extract<Outbound, { type: "document" }>;

function textParts(text: string, max: number = CLOUD_LIMITS.maxText): CloudPart[] {
  return splitText(text, max).map((body) => ({ type: "text", text: { body, preview_url: false } }));
}

/** How the choices of a question are shown. */
export function choiceLayout(choices: { id: string; label: string }[]): "buttons" | "list" | "numbered" {
  if (choices.length === 0) return "numbered";
  if (choices.some((c) => c.id.length > CLOUD_LIMITS.maxChoiceId)) return "numbered";
  const labels = new Set(choices.map((c) => c.label.trim()));
  if (labels.size !== choices.length) return "numbered";
  if (choices.length <= CLOUD_LIMITS.maxButtons && choices.every((c) => c.label.trim().length <= CLOUD_LIMITS.maxButtonTitle)) return "buttons";
  if (choices.length <= CLOUD_LIMITS.maxRows && choices.every((c) => c.label.trim().length <= CLOUD_LIMITS.maxRowTitle + CLOUD_LIMITS.maxRowDescription)) return "list";
  return "numbered";
}

/** A list row: the label as title, or, when longer than a title may be, shortened with the whole label below it. */
function row(c: { id: string; label: string }): { id: string; title: string; description?: string } {
  const label = c.label.trim();
  if (label.length <= CLOUD_LIMITS.maxRowTitle) return { id: c.id, title: label };
  const cut = label.lastIndexOf(" ", CLOUD_LIMITS.maxRowTitle - 1);
  const title = `${label.slice(0, cut > 8 ? cut : CLOUD_LIMITS.maxRowTitle - 1).trimEnd()}…`;
  const rest = label.slice(title.length - 1).trim();
  return { id: c.id, title, description: rest.length <= CLOUD_LIMITS.maxRowDescription ? rest : label.slice(0, CLOUD_LIMITS.maxRowDescription) };
}

/**
 * Plans a text. The body of an interactive message may hold 1,024 characters: a longer text goes
 * first as plain text and its last part carries the buttons or list.
 */
export function planText(msg: TextOutbound, listButtonLabel: string): CloudPart[] {
  const choices = msg.choices ?? [];
  const layout = choiceLayout(choices);
  if (choices.length === 0) return textParts(msg.text);
  if (layout === "numbered") {
    const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
    return textParts(`${msg.text}\n\n${list}`);
  }
  const parts = splitText(msg.text, CLOUD_LIMITS.maxBody);
  const last = parts.pop() ?? msg.text;
  const before = parts.length > 0 ? textParts(parts.join("\n\n")) : [];
  if (layout === "buttons") {
    return [
      ...before,
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: last },
          action: { buttons: choices.map((c) => ({ type: "reply" as const, reply: { id: c.id, title: c.label.trim() } })) },
        },
      },
    ];
  }
  return [
    ...before,
    {
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: last },
        action: { button: listButtonLabel.slice(0, CLOUD_LIMITS.maxListButton), sections: [{ rows: choices.map(row) }] },
      },
    },
  ];
}

/** A document with its caption; a caption over 1,024 characters follows as text. */
export function planDocument(msg: DocumentOutbound): CloudPart[] {
  const fileName = msg.fileName.replace(/[\r\n]+/g, " ").trim() || "document.pdf";
  const caption = msg.caption?.trim() ? msg.caption : undefined;
  if (caption === undefined) return [{ type: "document", upload: { fileName } }];
  if (caption.length <= CLOUD_LIMITS.maxCaption) return [{ type: "document", upload: { fileName, caption } }];
  return [{ type: "document", upload: { fileName } }, ...textParts(caption)];
}
