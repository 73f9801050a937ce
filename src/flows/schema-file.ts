/** The text of conversations/flow.schema.json, generated from the zod schema (stable, pretty). */
import { flowJsonSchema } from "./definition.js";

export function flowSchemaText(): string {
  const schema = { $id: "https://plutkumkmgianyar.com/schemas/flow.schema.json", ...flowJsonSchema() };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
