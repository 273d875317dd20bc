/**
 * One response's answers that stay the JSON text the database wrote (db/render.ts), so that
 * nothing parses them only to serialise them again: on the story page that was a tenth of
 * the request's CPU, and on a front page of 100 stories a megabyte of objects made and
 * dropped. Apollo Server serialises the response itself, so each held text stands in it as a
 * placeholder string, which `fill` replaces with the text in the serialised body.
 *
 * A placeholder starts with a NUL character, so it serialises to `"\u0000newsgate:N"`. Held
 * texts come only from answers rendered whole (each root field one text), so the rest of
 * such a body is response keys, which are GraphQL names and hold no such string.
 */
export class AnswerTexts {
  private readonly texts: string[] = [];

  /** A value that serialises as `json` once the body goes through `fill`. */
  hold(json: string): unknown {
    const placeholder = `${PREFIX}${this.texts.push(json) - 1}`;
    return { toJSON: () => placeholder };
  }

  /** `serialised` (a response body holding this response's placeholders) with its texts in place. */
  fill(serialised: string): string {
    let out = serialised;
    for (let i = 0; i < this.texts.length; i++) {
      const quoted = JSON.stringify(`${PREFIX}${i}`);
      const at = out.indexOf(quoted);
      if (at >= 0) out = out.slice(0, at) + this.texts[i] + out.slice(at + quoted.length);
    }
    return out;
  }
}

const PREFIX = "\u0000newsgate:";
