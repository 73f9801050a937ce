/** YAML read with positions, so a problem can be reported as file:line and a path inside the file. */
import { isCollection, isNode, LineCounter, parseDocument, type Document } from "yaml";

export interface YamlSource {
  file: string;
  text: string;
  data: unknown;
  /** YAML syntax errors (duplicate keys, bad indentation), as messages with a line. */
  errors: { line: number; message: string }[];
  /** The 1-based line of the value at `path`, or of its nearest parent that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export function readYaml(file: string, text: string): YamlSource {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => ({ line: lc.linePos(e.pos[0]).line, message: e.message.split("\n")[0] ?? e.message }));
  const data: unknown = errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return {
    file,
    text,
    data,
    errors,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
        if (n === 0 && isCollection(doc.contents) && doc.contents.range) return lc.linePos(doc.contents.range[0]).line;
      }
      return undefined;
    },
  };
}
