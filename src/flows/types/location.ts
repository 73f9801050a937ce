/** A place: a shared location pin, typed coordinates or a map link with coordinates. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { formatLatLon, parseLocation } from "../questions/location.js";
import { registerType } from "../registry.js";

export interface LocationNode extends QuestionNodeBase {
  type: "location";
}

export const locationType = registerType<LocationNode>({
  type: "location",
  description: "A location (shared pin, coordinates or a Google Maps link); usually optional.",
  kind: "location",
  schema: z.strictObject({ type: z.literal("location"), ...questionFields }).meta({ title: "location" }),
  prompt: () => ({}),
  parse(_node, input) {
    if (input.type === "location") return parseLocation({ latitude: input.latitude, longitude: input.longitude });
    if (input.type === "text") return parseLocation(input.text);
    return { ok: false, error: "engine.expect_location" };
  },
  display(_node, value) {
    const v = value as { latitude?: unknown; longitude?: unknown } | null;
    return v && typeof v.latitude === "number" && typeof v.longitude === "number"
      ? formatLatLon({ latitude: v.latitude, longitude: v.longitude })
      : "";
  },
});
