/**
 * An incremental parser of a `text/event-stream` body (WHATWG HTML "Server-sent events", 9.2.6 "Interpreting
 * an event stream"): feed it the body's text in whatever pieces it arrived; it returns the events each piece
 * completed. Any split of the same text gives the same events (a CRLF cut between two pieces is one line
 * break; a line cut anywhere is joined).
 *
 * Shapes: `createSseParser()` → `{ push(text): SseEvent[] }`. An event is dispatched by a blank line; a
 * trailing event without one (the stream was cut) is never dispatched, as the spec says. Comments (`:` lines)
 * and unknown fields are ignored; `retry` is ignored (no reconnection here).
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  type: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen (the spec's last event id), `''` when none. */
  id: string;
}

export interface SseParser {
  /** Parses the next piece of the body; returns the events it completed, in order. */
  push(text: string): SseEvent[];
}

export function createSseParser(): SseParser {
  let line = ''; // the current line's text so far (a line cut between pieces)
  let skipLf = false; // the previous piece ended in CR: a leading LF belongs to that line break
  let first = true; // a leading U+FEFF of the stream is dropped
  let type = '';
  let data: string[] = [];
  let lastId = '';

  const takeLine = (text: string, out: SseEvent[]) => {
    if (text === '') {
      if (data.length > 0) out.push({ type: type || 'message', data: data.join('\n'), id: lastId });
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  return {
    push(text) {
      const out: SseEvent[] = [];
      let i = 0;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) i = 1;
      }
      if (skipLf && i < text.length) {
        if (text[i] === '\n') i++;
        skipLf = false;
      }
      let cr = -2; // next CR / LF at or after i (-2: not searched yet), so a long body is scanned once
      let lf = -2;
      while (i < text.length) {
        if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
        if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) {
          line += text.slice(i);
          break;
        }
        takeLine(line + text.slice(i, end), out);
        line = '';
        i = end + 1;
        if (text[end] === '\r') {
          if (i < text.length) {
            if (text[i] === '\n') i++;
          } else {
            skipLf = true;
          }
        }
      }
      return out;
    },
  };
}
