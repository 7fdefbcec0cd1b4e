// Notes and tags on selection records (as Omniboard and Aim have on runs): checked where they come
// in (a command line, a record read back), and written into the record file atomically, so a
// record is never half-annotated; remove and prune treat an annotated record like any other.
import { InputError } from "../core/errors";
import type { ExperimentRecord } from "./record";

/** A tag: a letter or digit, then letters, digits, ".", "_" or "-"; at most 40 characters. */
const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const NOTE_MAX = 2000;

/** Why `value` is not a tag, or null when it is one. */
function tagProblem(value: unknown): string | null {
  if (typeof value !== "string") return "a tag is text";
  return TAG_PATTERN.test(value) ? null : `"${value}" is not a tag: use letters, digits, ".", "_" or "-" (at most 40, starting with a letter or digit)`;
}

/** Why `value` is not a note, or null when it is one. */
function noteProblem(value: unknown): string | null {
  if (typeof value !== "string") return "a note is text";
  if (value.trim() === "") return "a note is empty";
  if ([...value].length > NOTE_MAX) return `a note is at most ${NOTE_MAX} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)) return "a note has a control character";
  return null;
}

/** A tag from a user, or an InputError saying why not. */
export function parseTag(value: string): string {
  const problem = tagProblem(value.trim());
  if (problem) throw new InputError(problem);
  return value.trim();
}

/** A note from a user, trimmed, or an InputError saying why not. */
export function parseNote(value: string): string {
  const problem = noteProblem(value);
  if (problem) throw new InputError(problem);
  return value.trim();
}

/** Why a record's stored note or tags cannot be believed, or null (both are optional). */
export function annotationProblem(record: { note?: unknown; tags?: unknown }): string | null {
  if (record.note !== undefined && noteProblem(record.note)) return `corrupt: its note (${noteProblem(record.note)})`;
  if (record.tags === undefined) return null;
  if (!Array.isArray(record.tags)) return "corrupt: its tags are not a list";
  const bad = record.tags.map(tagProblem).find((p) => p !== null);
  return bad ? `corrupt: ${bad}` : null;
}

/** The record with `note` (replacing any earlier one) and `tags` added to its own, sorted and each once. */
export function annotate(record: ExperimentRecord, change: { note?: string; tags?: readonly string[] }): ExperimentRecord {
  const out: ExperimentRecord = { ...record };
  if (change.note !== undefined) out.note = change.note;
  if (change.tags && change.tags.length > 0) out.tags = [...new Set([...(record.tags ?? []), ...change.tags])].sort();
  return out;
}
