/**
 * The code of a remote reply in an accounting record (its dsnDiag, else its dsnStatus): the most
 * specific code the knowledge base explains.
 *  1. a known bracketed S-code: `(S3140)`, `(S3150)`, `(S775)`; `(AS3150)` when `S3150` is known, or
 *     when the tag is an entry of its own (`(AS3160)`).
 *     Other bracketed tags such as `(AS16012609)` or `(BAY004-MC1F41)` track the message, not the cause;
 *  2. else an Outlook.com code: RP-001, SC-001, DY-001, OU-001…;
 *  3. else, when a rule of the recommended pattern list matches the reply's words (the rule the
 *     configuration part of the report names for it, so both halves read a reply alike): the enhanced
 *     status when the rule covers its entry (5.7.606 for the banned-IP rule, 4.7.851 for the
 *     "Access denied, please try again later" rule), else the code the rule gives replies it matches by
 *     their words alone: `block-list` for Outlook.com's block-list text without a known tag (a plain
 *     5.7.1 says nothing of a block), `msgs-per-connection` (a bare 451);
 *  4. else an entry told by words no recommended rule has: `policy-reasons` for "Mail rejected by …
 *     for policy reasons" without its code (the old Windows Live Hotmail wording);
 *  5. else the enhanced status when the knowledge base explains it (5.7.606, 4.7.650, 5.5.0…);
 *  6. else a literal tag it explains (PRX4, ATTR18);
 *  7. else the enhanced status it does not explain (4.4.1); an enhanced status whose entry needs words
 *     the reply lacks (4.3.2 without "recipient thread limit") is named with the basic code before it
 *     (`421 4.3.2`), apart from the one it explains; else the basic reply code (421), else `unknown`.
 *
 * Replies repeat with variable parts: the IP (`[203.0.113.10]`), the domain, the answering server and a
 * timestamp (`[BN3PEPF0000B370.namprd21.prod.outlook.com 2025-02-20T14:30:32.425Z …]`), all in square
 * brackets. The code is found once per reply with those parts blanked out (`[]`), and remembered in a
 * bounded cache keyed by that text, so that a file of millions of deferrals classifies a few hundred
 * distinct replies.
 */
import {
  codeById,
  compilePowerMtaRegex,
  findMicrosoftCodes,
  hasRequiredWords,
  patternEntryForReply,
  sourceIpEffect,
  wordsEntryForReply,
  type MicrosoftCode,
} from '../knowledge/microsoft';
import { Memo } from '../util/memo';
import { bytesEqual, decodeBytes, hashBytes } from './bytes';
import type { IpEffect } from './types';

export interface ReplyCode {
  /** the code as the report shows it (`S3140`, `RP-001`, `5.7.606`, `421`, `unknown`) */
  code: string;
  /** the knowledge base's entry for it, when it has one */
  entry: MicrosoftCode | undefined;
  /** how it bears on the sending IP */
  effect: IpEffect | undefined;
}

const UNKNOWN: ReplyCode = { code: 'unknown', entry: undefined, effect: undefined };

/** Brackets blanked out only when they close within this many characters (a lone `[` stays). */
const MAX_BRACKET = 100;

/** The reply with the contents of its square brackets removed (`[203.0.113.10]` → `[]`). */
export function maskReply(text: string): string {
  if (text.indexOf('[') < 0) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 91) continue;
    const stop = Math.min(text.length, i + 1 + MAX_BRACKET + 1);
    for (let j = i + 1; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c === 10) break;
      if (c === 93) {
        out += text.slice(from, i + 1);
        from = j;
        i = j;
        break;
      }
    }
  }
  return out + text.slice(from);
}

const S_CODE = /^A?S(\d+)$/;
const DASH_CODE = /^(RP|SC|DY|OU)-\d{3}$/;
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;
const ANY_ENHANCED = /(?:^|[^\w.])([245]\.\d{1,3}\.\d{1,3})(?![\w]|\.\d)/;
const BASIC = /(?:^|[^\w.])([245]\d\d)(?=[\s-]|$)/;

function reply(code: string, entry: MicrosoftCode | undefined): ReplyCode {
  return { code, entry, effect: entry ? sourceIpEffect(entry) : undefined };
}

/** The code of a reply text (see the top of this file). Not cached: see {@link ReplyCodes}. */
export function classifyReply(text: string): ReplyCode {
  let dash: ReplyCode | undefined;
  let enhanced: ReplyCode | undefined;
  let literal: ReplyCode | undefined;
  let otherWords: ReplyCode | undefined;
  for (const m of findMicrosoftCodes(text)) {
    const token = text.slice(m.start, m.end).toUpperCase();
    const s = S_CODE.exec(token);
    if (s) {
      // only bracketed, and only a tag the knowledge base knows in its S form, or that is an entry of its
      // own (AS3160): (AS16012609) tracks a message (the enhanced code it comes with says more)
      const own = codeById(token);
      const known = codeById('S' + s[1]) ?? (own?.id.toUpperCase() === token ? own : undefined);
      if (known && text[m.start - 1] === '(' && text[m.end] === ')') return reply(token, known);
    } else if (DASH_CODE.test(token)) dash ??= reply(token, m.code);
    else if (ENHANCED.test(token)) {
      // an entry that explains its code only with its words (4.3.2: recipient thread limit): with other
      // words the code is not the one it explains, and is named apart (`421 4.3.2`), so that the two
      // never share a row
      const fits = hasRequiredWords(m.code, text);
      if (fits) enhanced ??= reply(token, m.code);
      else if (!enhanced && !otherWords) {
        const b = BASIC.exec(text);
        otherWords = reply(b ? `${b[1]} ${token}` : `${token} (other words)`, undefined);
      }
    } else if (token === m.code.id.toUpperCase()) literal ??= reply(token, m.code);
  }
  if (dash) return dash;
  const rule = patternEntryForReply(text);
  if (rule && !(enhanced?.entry && rule.covers.includes(enhanced.entry.id))) {
    const id = rule.byWords ?? rule.codeId;
    return reply(id, codeById(id));
  }
  // the few replies told by words no recommended rule has (the old Windows Live Hotmail policy text)
  const words = wordsEntryForReply(text);
  if (words) return reply(words.id, words);
  if (enhanced) return enhanced;
  if (literal) return literal;
  if (otherWords) return otherWords;
  const e = ANY_ENHANCED.exec(text);
  if (e) return reply(e[1], undefined);
  const b = BASIC.exec(text);
  if (b) return reply(b[1], undefined);
  return UNKNOWN;
}

interface CachedReply {
  key: Uint8Array;
  reply: ReplyCode;
  /** some rule of the pattern lists matches the reply (true without rules) */
  matched: boolean;
}

interface CachedText {
  reply: ReplyCode;
  matched: boolean;
}

/**
 * Whether some `reply` rule of the pattern lists matches a reply, given as logged (`smtp;421 RP-001 …`:
 * the matcher sets the diagnostic type aside itself).
 */
export type ReplyMatcher = (reply: string) => boolean;

/** The diagnostic type before a logged reply (`smtp;`), which is no part of what the server said. */
const DIAGNOSTIC_TYPE = /^[a-z][a-z0-9-]*;[ \t]*/i;

/** A logged reply (`smtp;421 RP-001 …`) as the server said it (`421 RP-001 …`), which is what pattern lists match. */
export function serverReply(logged: string): string {
  return logged.replace(DIAGNOSTIC_TYPE, '');
}

/**
 * A matcher for the `reply` rules of a configuration's pattern lists (their regex bodies): true when
 * one of them matches the reply, as PowerMTA matches it (case-insensitive unless `(?-i)`; JS regular
 * expressions stand in for PCRE, and a body they cannot read matches nothing).
 */
export function replyMatcher(rules: readonly string[]): ReplyMatcher {
  const regexes = rules.map(compilePowerMtaRegex).filter((r): r is RegExp => r !== undefined);
  return (reply) => {
    const said = serverReply(reply);
    for (const re of regexes) if (re.test(said)) return true;
    return false;
  };
}

/** The longest reply classified in full; a longer one is classified on its first this many bytes. */
const MAX_REPLY_BYTES = 8192;
/** Distinct masked replies remembered (the cache is emptied when full). */
const MAX_CACHED = 4096;

/**
 * Reply codes with a bounded cache, for bytes (CSV fields, their `""` unescaped) and for text (JSON
 * records). The byte path blanks the brackets while copying into a scratch buffer, hashes it and
 * compares it with the cached keys, so a row whose reply was seen before costs no string at all.
 *
 * With a {@link ReplyMatcher} (the rules of a configuration's pattern lists), each distinct reply is
 * also matched once, as first logged, and {@link matched} tells the result for the reply last looked
 * up. Replies that differ only within square brackets (an IP, a server, a time) share that result:
 * rules are written for the words of a reply, not for those parts.
 */
export class ReplyCodes {
  private readonly byBytes = new Map<number, CachedReply[]>();
  private bytesCount = 0;
  private readonly byText = new Memo<string, CachedText>(MAX_CACHED);
  private readonly scratch = new Uint8Array(MAX_REPLY_BYTES);
  /** Whether a rule matched the reply of the last ofBytes or ofText (always true without a matcher). */
  matched = true;

  constructor(private readonly matcher?: ReplyMatcher) {}

  /** The code of the reply in buf[s..e); `unescape` when the CSV field holds doubled quotes. */
  ofBytes(buf: Uint8Array, s: number, e: number, unescape: boolean): ReplyCode {
    const n = this.mask(buf, s, e, unescape);
    const key = this.scratch;
    const h = hashBytes(key, 0, n);
    const bucket = this.byBytes.get(h);
    if (bucket) {
      for (const x of bucket) {
        if (bytesEqual(key, 0, n, x.key)) {
          this.matched = x.matched;
          return x.reply;
        }
      }
    }
    const r = classifyReply(decodeBytes(key, 0, n));
    let matched = true;
    if (this.matcher) {
      const raw = decodeBytes(buf, s, Math.min(e, s + MAX_REPLY_BYTES));
      matched = this.matcher(unescape ? raw.replace(/""/g, '"') : raw);
    }
    if (this.bytesCount >= MAX_CACHED) {
      this.byBytes.clear();
      this.bytesCount = 0;
    }
    const entry = { key: key.slice(0, n), reply: r, matched };
    const again = this.byBytes.get(h);
    if (again) again.push(entry);
    else this.byBytes.set(h, [entry]);
    this.bytesCount++;
    this.matched = matched;
    return r;
  }

  /** The code of a reply given as text. */
  ofText(text: string): ReplyCode {
    const cut = text.length > MAX_REPLY_BYTES ? text.slice(0, MAX_REPLY_BYTES) : text;
    const masked = maskReply(cut);
    let c = this.byText.get(masked);
    if (!c)
      this.byText.set(masked, (c = { reply: classifyReply(masked), matched: this.matcher ? this.matcher(cut) : true }));
    this.matched = c.matched;
    return c.reply;
  }

  /** Copies buf[s..e) into the scratch buffer with its brackets blanked (as maskReply does); returns the length. */
  private mask(buf: Uint8Array, s: number, e: number, unescape: boolean): number {
    const out = this.scratch;
    const cap = out.length;
    let n = 0;
    for (let i = s; i < e && n < cap; i++) {
      const c = buf[i];
      out[n++] = c;
      if (c === 34 && unescape && buf[i + 1] === 34) i++;
      else if (c === 91) {
        const stop = Math.min(e, i + 1 + MAX_BRACKET + 1);
        for (let j = i + 1; j < stop; j++) {
          const d = buf[j];
          if (d === 10) break;
          if (d === 93) {
            i = j - 1;
            break;
          }
        }
      }
    }
    return n;
  }
}
