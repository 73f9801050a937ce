/**
 * The pieces every node schema is made of: ids, text keys, conditions and the fields all questions
 * share. Question types (src/flows/types/*) build their node schema from these; definition.ts joins
 * them into the one flow-file schema.
 */
import { z } from "zod";

export const ZNodeId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, {
    error: "ids are lower-case letters, digits and _ (start with a letter, at most 40 characters)",
  })
  .meta({ description: "Unique id of this node in the flow (lower case, digits, _)." });

export const ZOptionId = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,40}$/, { error: "option ids are letters, digits and _ (at most 40 characters)" })
  .meta({ description: "Stored value of this option (what the database keeps)." });

export const ZTextKey = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_-]+)*$/, {
    error: "a text key looks like section.name (lower case, digits, _ and -, parts joined by dots)",
  })
  .meta({ description: "Key of a text in conversations/texts/<lang>/*.yaml (never the words themselves)." });

const ZScalar = z.union([z.string(), z.number(), z.boolean()]);

/** Tests a value: every operator given must hold. */
const conditionOps = {
  is: ZScalar.optional().meta({ description: "The answer equals this value (option id, true/false, number)." }),
  isNot: ZScalar.optional().meta({ description: "The answer is anything but this value." }),
  in: z.array(ZScalar).optional().meta({ description: "The answer is one of these values." }),
  notIn: z.array(ZScalar).optional().meta({ description: "The answer is none of these values." }),
  includes: ZScalar.optional().meta({ description: "A multiple-choice answer contains this option." }),
  includesAny: z.array(ZScalar).optional().meta({ description: "A multiple-choice answer contains any of these options." }),
  answered: z.boolean().optional().meta({ description: "true: the question was answered (not skipped); false: it was not." }),
};

export type Scalar = string | number | boolean;
export interface ConditionOps {
  is?: Scalar;
  isNot?: Scalar;
  in?: Scalar[];
  notIn?: Scalar[];
  includes?: Scalar;
  includesAny?: Scalar[];
  answered?: boolean;
}
export type Condition =
  | ({ answer: string } & ConditionOps)
  | ({ var: string } & ConditionOps)
  | ({ onFile: string } & ConditionOps)
  | { all: Condition[] }
  | { any: Condition[] }
  | { none: Condition[] };

export const ZCondition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ answer: ZNodeId.meta({ description: "Id of an earlier question." }), ...conditionOps }),
    z.strictObject({ var: z.string().min(1).meta({ description: "Name of a var the flow was started with." }), ...conditionOps }),
    z.strictObject({
      onFile: z.string().min(1).meta({ description: "A store path; true when the client's file has it (use answered: false for 'not on file')." }),
      ...conditionOps,
    }),
    z.strictObject({ all: z.array(ZCondition).min(1).meta({ description: "Every condition holds." }) }),
    z.strictObject({ any: z.array(ZCondition).min(1).meta({ description: "At least one condition holds." }) }),
    z.strictObject({ none: z.array(ZCondition).min(1).meta({ description: "No condition holds." }) }),
  ]),
).meta({ id: "Condition", description: "When the node applies. Ask only if this holds; otherwise it is skipped." });

/** Fields every question has, whatever its type. */
export const questionFields = {
  id: ZNodeId,
  prompt: ZTextKey.meta({ description: "Text key of the question as sent to the person." }),
  label: ZTextKey.meta({ description: "Text key of a short name for the answer, used in the summary and the 'ubah' list." }),
  help: ZTextKey.optional().meta({ description: "Text key sent on 'bantuan' (a generic help of the type is used otherwise)." }),
  retry: ZTextKey.optional().meta({ description: "Text key of the short re-prompt after a bad answer (default: engine.retry)." }),
  store: z.string().optional().meta({ description: "Where the answer goes, one of the store paths in src/flows/store.ts (e.g. client.fullName)." }),
  optional: z.boolean().optional().meta({ description: "The person may skip it with 'lewati'." }),
  when: ZCondition.optional(),
  skipIfOnFile: z
    .boolean()
    .optional()
    .meta({ description: "Skip this question when the client's file already holds its store path (returning clients)." }),
  next: ZNodeId.optional().meta({ description: "Id of the node that follows (default: the next one in the list)." }),
  summary: z.boolean().optional().meta({ description: "false: leave this answer out of the summary." }),
};

export interface QuestionNodeBase {
  id: string;
  type: string;
  prompt: string;
  label: string;
  help?: string;
  retry?: string;
  store?: string;
  optional?: boolean;
  when?: Condition;
  skipIfOnFile?: boolean;
  next?: string;
  summary?: boolean;
}

export const ZOption = z
  .strictObject({
    id: ZOptionId,
    label: ZTextKey.meta({ description: "Text key of the option's label (what the button shows)." }),
    synonyms: ZTextKey.optional().meta({
      description: "Text key of other words meaning this option, comma separated (e.g. 'kuliner, makanan, minuman').",
    }),
  })
  .meta({ id: "Option" });
export type Option = z.infer<typeof ZOption>;

/** Options of a choice question: at least two, each with an id and a label key. */
export const ZOptions = z.array(ZOption).min(2, { error: "a choice needs at least two options" });
