/**
 * One response's answers that stay the JSON the database wrote (db/render.ts), so that
 * nothing parses them only to serialise them again: on the story page that was a tenth of
 * the request's CPU, and on a front page of 100 stories a megabyte of objects made and
 * dropped. They are held as UTF-8 bytes, which is what goes out. Apollo Server serialises the
 * response itself, so each held answer stands in it as a placeholder string, which `fill`
 * replaces with the bytes.
 *
 * A placeholder starts with a NUL character, so it serialises to `"\u0000newsgate:N"`. Held
 * answers come only from answers rendered whole (each root field one text), so the rest of
 * such a body is response keys, which are GraphQL names and hold no such string.
 */
export class AnswerTexts {
  private readonly held: Buffer[] = [];

  /** A value that serialises as `json` once the body goes through `fill`. */
  hold(json: Buffer): unknown {
    const placeholder = `${PREFIX}${this.held.push(json) - 1}`;
    return { toJSON: () => placeholder };
  }

  /** `serialised` (a response body holding this response's placeholders) with the answers in place. */
  fill(serialised: string): string | Buffer {
    if (this.held.length === 0) return serialised;
    const found: Array<[at: number, length: number, json: Buffer]> = [];
    this.held.forEach((json, i) => {
      const quoted = JSON.stringify(`${PREFIX}${i}`);
      const at = serialised.indexOf(quoted);
      if (at >= 0) found.push([at, quoted.length, json]);
    });
    found.sort((a, b) => a[0] - b[0]);
    const parts: Buffer[] = [];
    let from = 0;
    for (const [at, length, json] of found) {
      parts.push(Buffer.from(serialised.slice(from, at)), json);
      from = at + length;
    }
    parts.push(Buffer.from(serialised.slice(from)));
    return Buffer.concat(parts);
  }
}

const PREFIX = "\u0000newsgate:";
