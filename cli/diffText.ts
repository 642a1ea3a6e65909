import type { DiffRecord, ItlDiff, RecordChange } from '../model/itl/diffItl.ts';
import { roleName } from '../model/itl/showItlFields.ts';

const where = (r: DiffRecord) => ('offset' in r.at ? `offset ${r.at.offset}` : `line ${r.at.line}`);
const short = (sha1: string) => (sha1 === '' ? '-' : sha1.slice(0, 12));
const rec = (r: DiffRecord) =>
  `#${r.number} ${roleName(r.role)} ${r.subject} (serial ${r.serial}, SHA-1 ${short(r.certSha1)})`;

function changeText(c: RecordChange): string[] {
  switch (c.change) {
    case 'same':
      return [`  = ${rec(c.a)}`];
    case 'removed':
      return [`  - ${rec(c.a)}  [A ${where(c.a)}]`];
    case 'added':
      return [`  + ${rec(c.b)}  [B ${where(c.b)}]`];
    case 'changed':
      return [
        `  ~ ${rec(c.a)}  [A ${where(c.a)}]`,
        `    -> ${rec(c.b)}  [B ${where(c.b)}] (${c.fields.join(', ')} differ)`,
      ];
  }
}

/** Why no other rule accepts B once the local one failed, by the rule that rejects it. */
const NEVER_BECAUSE = {
  R4: 'no TVS record of A is in B',
  C3: 'from 12.0 no TVS vouches for the signer of a CTL (A19)',
  I3: 'a phone holding a CTL asks no TVS from 12.0 (A18); only a SAST record of the ITL it also holds could vouch (I2)',
} as const;

/** Why the local check was by names: which side is a listing, and what that listing lacks. Pure. */
function byNames(diff: ItlDiff): string {
  const why =
    diff.a.source === 'text' && diff.b.source === 'text'
      ? 'A and B are listings: no keys, no signature'
      : diff.a.source === 'text'
        ? 'A is a listing, its records hold no keys'
        : 'B is a listing, its signature cannot be checked';
  return ` (judged by names: ${why})`;
}

/** The verdict in words. Pure. */
export function verdictText(diff: ItlDiff): string {
  const text = verdictWords(diff);
  const v = diff.verdict;
  return 'checkedBy' in v && v.checkedBy === 'names' ? text + byNames(diff) : text;
}

/** The verdict in words, without how the local check was made. Pure. */
function verdictWords(diff: ItlDiff): string {
  const v = diff.verdict;
  // By names, a record of A that names B's signer fails when its certificate SHA-1 is not that of
  // B's signer record, or when B is a file whose own signature fails.
  const names = 'checkedBy' in v && v.checkedBy === 'names';
  const otherCert = "with another certificate, or B's own signature fails";
  const kind = diff.b.kind.toUpperCase();
  switch (v.verdict) {
    case 'same':
      return `B is A (same SHA-1): nothing changes`;
    case 'too-large':
      return `NEVER loaded: B is too large for a phone (${diff.b.limits.records} records, ${diff.b.limits.bytes} bytes; at most ${diff.b.limits.maxRecords} and ${diff.b.limits.maxBytes}); it keeps A and does not register (H2)`;
    case 'first':
      return `accepted on first sight (C0): a phone holding an ITL and no CTL takes its first CTL`;
    case 'local':
      return `accepted locally (${v.rule}): B is signed by A's record ${rec(v.record)}`;
    case 'tvs':
      if (v.rule === 'C2')
        return `only through TVS (C2): B's signer is no SAST record of A; the phone asks the TVS its ITL pins`;
      if (v.records.length === 0)
        return `only through the phone's ITL (before 12.0): B's signer is no SAST or CCM+TFTP record of A (I1 fails); the phone then tries the SAST records of the ITL it holds (I2) and the TVS that ITL pins (R3)`;
      return `only through TVS (R3): B's signer is ${v.localFailure === 'badSignature' ? (names ? `named by A's record, but ${otherCert}` : "A's record, but B's signature does not verify with it") : 'no SAST record of A'}; the TLS handshake works with ${v.records.map((r) => `#${r.number} ${r.subject}`).join(', ')} (TVS records of A still in B)`;
    case 'never':
      return `NEVER (${v.rule}): ${v.localFailure === 'badSignature' ? (names ? `A's record names B's signer, but ${otherCert}` : "B's signature does not verify with A's record") : "B's signer is no anchor of A"}, and ${NEVER_BECAUSE[v.rule]}: a phone holding A rejects this ${kind}`;
  }
}

/** The diff in words: the two files, the signers, every record, the ITLRecovery, the limits, the verdict. Pure. */
export function diffText(pathA: string, pathB: string, diff: ItlDiff): string[] {
  const file = (label: string, path: string, s: ItlDiff['a']) =>
    `${label}: ${path}  ${s.kind.toUpperCase()} ${s.source === 'binary' ? 'file' : 'listing'}, SHA-1 ${s.sha1 || '-'}, ${s.limits.records} records, ${s.limits.bytes} bytes, signature ${s.signature}${s.limits.tooLarge ? ', TOO LARGE for a phone' : ''}`;
  const lines = [file('A', pathA, diff.a), file('B', pathB, diff.b), ''];
  lines.push(
    `Signer: ${diff.signer.same ? 'same' : 'changed'}`,
    `  A: ${diff.signer.a.subject} (serial ${diff.signer.a.serial})`,
    `  B: ${diff.signer.b.subject} (serial ${diff.signer.b.serial})`,
    '',
  );
  const counts = { same: 0, changed: 0, removed: 0, added: 0 };
  for (const c of diff.records) counts[c.change]++;
  lines.push(
    `Records: ${counts.same} same, ${counts.changed} changed, ${counts.removed} removed, ${counts.added} added`,
  );
  for (const c of diff.records) lines.push(...changeText(c));
  lines.push('');
  const r = diff.itlRecovery;
  lines.push(
    `ITLRecovery: ${r.same ? (r.a ? 'same' : 'in neither') : 'changed'}`,
    `  A: ${r.a ? rec(r.a) : 'none'}`,
    `  B: ${r.b ? rec(r.b) : 'none'}`,
    '',
  );
  lines.push(`Verdict for a phone holding A offered B: ${verdictText(diff)}`);
  return lines;
}
