/** The part of @nlpjs/lang-id (CommonJS, no types of its own) the router uses: the Indonesian stemmer. */
declare module "@nlpjs/lang-id" {
  export class StemmerId {
    stemWord(word: string): string;
  }
  const langId: { StemmerId: typeof StemmerId };
  export default langId;
}
