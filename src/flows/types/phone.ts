/**
 * A phone number, stored as E.164. Offers the number the channel knows ("pakai nomor ini") and,
 * where the channel can, a "share my number" button; a shared contact answers too.
 */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { formatPhone, parsePhone } from "../questions/phone.js";
import { registerType } from "../registry.js";
import { foldCommand } from "../../shared/fold.js";

export interface PhoneNode extends QuestionNodeBase {
  type: "phone";
}

export const CHANNEL_PHONE_CHOICE = "ctl:channel_phone";

export const phoneType = registerType<PhoneNode>({
  type: "phone",
  description: "A phone number; offers the channel's number and a share-contact button.",
  kind: "string",
  personal: true,
  schema: z.strictObject({ type: z.literal("phone"), ...questionFields }).meta({ title: "phone" }),
  prompt(_node, ctx) {
    const phone = ctx.person.channelPhone;
    const own = phone ? parsePhone(phone) : undefined;
    return {
      ...(own?.ok
        ? { choices: [{ id: CHANNEL_PHONE_CHOICE, label: ctx.tr.t("engine.phone.use_channel", { phone: formatPhone(own.value) }) }] }
        : {}),
      requestContact: true,
      contactButtonLabel: ctx.tr.t("engine.phone.share_button"),
    };
  },
  parse(_node, input, ctx) {
    const channelPhone = ctx.person.channelPhone;
    if (input.type === "contact") return parsePhone(input.phone);
    if (input.type === "choice") {
      return input.choiceId === CHANNEL_PHONE_CHOICE && channelPhone
        ? parsePhone(channelPhone)
        : { ok: false, error: "engine.stale_button" };
    }
    if (input.type !== "text") return { ok: false, error: "engine.expect_text" };
    if (channelPhone && ctx.tr.words("cmd.use_this_number").includes(foldCommand(input.text))) return parsePhone(channelPhone);
    return parsePhone(input.text);
  },
  display: (_node, value) => formatPhone(String(value)),
});
