/**
 * The shape of Meta's `messages` webhook (WhatsApp Business Account object): incoming messages
 * under entry[].changes[].value.messages[], delivery statuses under ...value.statuses[]. Only what
 * the channel reads is checked; unknown fields and unknown message types pass (Meta adds both).
 * Reference: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
import { z } from "zod";

const ZMediaRef = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Not always sent; the media lookup gives the size too. */
  file_size: z.coerce.number().int().nonnegative().optional(),
  voice: z.boolean().optional(),
});
export type MediaRef = z.infer<typeof ZMediaRef>;

const ZContactCard = z.looseObject({
  name: z.looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional() }).optional(),
  phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
});

export const ZCloudMessage = z.looseObject({
  id: z.string().min(1),
  /** The sender's phone number (wa_id); absent for a user known only by a business-scoped user id. */
  from: z.string().min(1).optional(),
  /** Business-scoped user id (usernames, from 2026). */
  from_user_id: z.string().min(1).optional(),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: ZMediaRef.optional(),
  document: ZMediaRef.optional(),
  audio: ZMediaRef.optional(),
  video: ZMediaRef.optional(),
  sticker: ZMediaRef.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z.array(ZContactCard).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  /** A tap on a template's quick-reply button. */
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
  /** The message this one replies to (a quoted reply): its wamid. */
  context: z.looseObject({ id: z.string().min(1).optional() }).optional(),
});
export type CloudMessage = z.infer<typeof ZCloudMessage>;

const ZStatusError = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

export const ZCloudStatus = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  errors: z.array(ZStatusError).optional(),
});
export type CloudStatus = z.infer<typeof ZCloudStatus>;

const ZValue = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ phone_number_id: z.string().optional(), display_phone_number: z.string().optional() }).optional(),
  contacts: z.array(z.looseObject({ wa_id: z.string().optional(), user_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(ZCloudMessage).optional(),
  statuses: z.array(ZCloudStatus).optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});
export type CloudValue = z.infer<typeof ZValue>;

export const ZCloudWebhook = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: ZValue })),
    }),
  ),
});
export type CloudWebhook = z.infer<typeof ZCloudWebhook>;
