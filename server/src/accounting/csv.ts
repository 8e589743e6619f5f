/**
 * A streaming CSV tokenizer over bytes, as PowerMTA writes its accounting files (RFC 4180): fields
 * separated by commas, records ended by CRLF or LF, a field that starts with `"` is quoted and may hold
 * commas, line breaks and doubled quotes (`""`).
 *
 * It is fed chunks of any size and hands each record to its sink as field offsets into a byte buffer
 * (no string is made for a field; the sink decodes only what it needs). For speed, every byte is looked
 * at once, in tight loops over the bytes: an unquoted field up to its comma or line break, a quoted one
 * up to its quote, counting the line breaks inside. (The native `indexOf` of typed arrays is no faster
 * per byte than such a loop in Node 20 and costs a call each time.) A record cut by the end of a chunk
 * is kept (copied) and parsed again, whole, with the next chunk.
 *
 * Malformed records are reported, never thrown: a quote closed in the middle of a field (`"a"b`), a
 * quote never closed (at the end of the input, or a record that grows past {@link MAX_RECORD} bytes:
 * the record is dropped and reading starts again on the next line).
 */

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The longest record kept while waiting for its end (a quote never closed would hold the rest of the file). */
export const MAX_RECORD = 1 << 20;

/** The most fields a record may have (wider ones are passed on with only their first fields kept). */
export const MAX_FIELDS = 4096;

/** Quoting of a field: as written, quoted, quoted with doubled quotes inside. */
export const FIELD_PLAIN = 0;
export const FIELD_QUOTED = 1;
export const FIELD_ESCAPED = 2;

export interface CsvSink {
  /**
   * One record of `count` fields starting on line `line` (1-based). Field i lies in
   * buf[starts[i]..ends[i]), quotes and the line end excluded; quoting[i] says how it was quoted. (Only
   * the first MAX_FIELDS fields are kept when count is larger.)
   */
  record(buf: Uint8Array, count: number, line: number): void;
  /** A malformed record starting on line `line`, and why. */
  malformed(line: number, why: Malformed): void;
}

/** Why a record is malformed: a quote not closed where its field ends, or a line longer than {@link MAX_RECORD} bytes. */
export type Malformed = 'quote' | 'long';

export class CsvTokenizer {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  quoting = new Uint8Array(64);
  /** the line the next record starts on */
  private line = 1;
  /** the unparsed tail of the previous chunks (a record not yet ended) */
  private pending: Uint8Array | undefined;
  /** inside a line longer than any record, already reported: the rest of it is dropped, up to its line break */
  private skipping = false;

  constructor(private readonly sink: CsvSink) {}

  /** Room for at least n fields per record (the room grows by itself up to {@link MAX_FIELDS}). */
  ensureCapacity(n: number): void {
    if (n <= this.starts.length) return;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.quoting = new Uint8Array(n);
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    if (this.skipping) {
      const lf = chunk.indexOf(LF);
      if (lf < 0) return;
      this.skipping = false;
      from = lf + 1;
    }
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      // the record the previous chunk cut most often ends at this chunk's first line break: copy only that far
      const lf = chunk.indexOf(LF);
      let end = lf < 0 ? chunk.length : lf + 1;
      let buf = concat(pending, chunk, end);
      let stop = this.parse(buf, 0, false);
      if (stop < buf.length && end < chunk.length) {
        // a line break inside quotes: the record goes on, take the whole chunk
        end = chunk.length;
        buf = concat(pending, chunk, end);
        stop = this.parse(buf, 0, false);
      }
      if (stop < buf.length) this.keep(buf, stop);
      if (end === chunk.length) return;
      from = end;
    }
    const stop = this.parse(chunk, from, false);
    if (stop < chunk.length) this.keep(chunk, stop);
  }

  /** Keeps buf[stop..), a record not yet ended, for the next chunk; one longer than any real record loses its first line. */
  private keep(buf: Uint8Array, stop: number): void {
    while (buf.length - stop > MAX_RECORD) {
      // a quote never closed: drop the record's first line and read on from the next
      stop = this.parse(buf, this.dropLine(buf, stop), false);
      if (stop === buf.length) return;
    }
    this.pending = buf.slice(stop);
  }

  /** The end of the input: a last record without its line break is read as it is. */
  end(): void {
    const buf = this.pending;
    this.pending = undefined;
    if (buf) this.parse(buf, 0, true);
  }

  /**
   * Reports the record at `stop` as malformed; returns where the next line starts. (A record not ended
   * within {@link MAX_RECORD} bytes: a line that long, or a quote left open over the lines after it.) A
   * line that does not end in the buffer is dropped up to its end, in the chunks still to come: one
   * malformed record, at its own line, whatever its length.
   */
  private dropLine(buf: Uint8Array, stop: number): number {
    const lf = buf.indexOf(LF, stop);
    this.sink.malformed(this.line, lf < 0 ? 'long' : 'quote');
    this.line++;
    if (lf < 0) this.skipping = true;
    return lf < 0 ? buf.length : lf + 1;
  }

  /**
   * Parses the records in buf[from..), returns where the first record not ended lies (buf.length when
   * all ended). At the end of the input (`final`), the end of the buffer ends the last record.
   */
  private parse(buf: Uint8Array, from: number, final: boolean): number {
    const len = buf.length;
    const sink = this.sink;
    let starts = this.starts;
    let ends = this.ends;
    let quoting = this.quoting;
    let cap = starts.length;
    let p = from;
    while (p < len) {
      const rs = p;
      let nf = 0;
      let extraLines = 0;
      let broken = false;
      for (;;) {
        if (p < len && buf[p] === QUOTE) {
          // quoted: up to the closing quote (`""` is a quote inside), counting the line breaks inside
          let q = p + 1;
          let doubled = false;
          for (;;) {
            while (q < len) {
              const c = buf[q];
              if (c === QUOTE) break;
              if (c === LF) extraLines++;
              q++;
            }
            if (q + 1 < len && buf[q + 1] === QUOTE) {
              doubled = true;
              q += 2;
              continue;
            }
            break;
          }
          // the closing quote, and what follows it, must be in this buffer
          if (q + 1 >= len && !final) return rs;
          if (q >= len) {
            // never closed: the record is lost
            broken = true;
            p = len;
            break;
          }
          if (nf < cap) {
            starts[nf] = p + 1;
            ends[nf] = q;
            quoting[nf] = doubled ? FIELD_ESCAPED : FIELD_QUOTED;
          }
          nf++;
          p = q + 1;
          const c = p < len ? buf[p] : LF;
          if (c === COMMA) {
            p++;
            continue;
          }
          if (c === LF) {
            p++;
            break;
          }
          if (c === CR && (p + 1 < len ? buf[p + 1] === LF : final)) {
            p += 2;
            break;
          }
          if (c === CR && p + 1 >= len && !final) return rs;
          // text after the closing quote: not CSV; skip to the end of the line (once it has come)
          while (p < len && buf[p] !== LF) p++;
          if (p === len && !final) return rs;
          broken = true;
          p++;
          break;
        }
        // unquoted: up to the next comma or line break, one pass
        const s = p;
        let c = 0;
        while (p < len) {
          c = buf[p];
          if (c === COMMA || c === LF) break;
          p++;
        }
        if (p === len && !final) return rs;
        const atEnd = p === len || c === LF;
        if (nf < cap) {
          starts[nf] = s;
          ends[nf] = atEnd && p > s && buf[p - 1] === CR ? p - 1 : p;
          quoting[nf] = 0;
        }
        nf++;
        p++;
        if (atEnd) break;
      }
      if (nf > cap && nf <= MAX_FIELDS) {
        // wider than the room for fields: make room and read the record again
        this.ensureCapacity(nf);
        starts = this.starts;
        ends = this.ends;
        quoting = this.quoting;
        cap = starts.length;
        p = rs;
        continue;
      }
      const line = this.line;
      this.line += 1 + extraLines;
      if (broken) sink.malformed(line, 'quote');
      else if (nf > 1 || ends[0] > starts[0] || quoting[0] !== 0) sink.record(buf, nf, line);
      // (an empty line is no record)
    }
    return len;
  }
}

/** a followed by b[0..n). */
function concat(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(a.length + n);
  out.set(a, 0);
  out.set(n === b.length ? b : b.subarray(0, n), a.length);
  return out;
}
