/**
 * manifest.json: what the pack is and the SHA-256 and size of every other
 * file in it. It is the one file that is signed (manifest.p7s, detached), so
 * its exact bytes matter: we write it once and never re-serialise it.
 */
import { z } from 'zod';
import { zodIssueText } from '../../../../shared/contract/zod-message.ts';
import { jsonProblem } from '../../import/text.ts';

export const MANIFEST_SCHEMA = 'vaultproof.pack/1';

/** Files a pack holds besides those the manifest lists. */
export const SIGNATURE_FILES = ['manifest.json', 'manifest.p7s', 'manifest.reviewer.p7s'] as const;

const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export function isSafePackPath(p: string): boolean {
  return SAFE_PATH.test(p) && !p.startsWith('/') && p.length <= 200;
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const manifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  packId: z.string().min(1),
  toolVersion: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  complete: z.boolean(),
  snapshots: z.array(
    z.object({
      role: z.enum(['current', 'baseline']),
      id: z.string(),
      label: z.string().nullable(),
      asOf: z.string(),
      createdAt: z.string(),
      source: z.string(),
      itemCount: z.number().int().min(0),
      complete: z.boolean(),
      contentHash: sha256,
      canonicalVersion: z.number().int(),
      file: z.string().refine(isSafePackPath, 'unsafe path'),
      /** Redacted records per kind, in a pack made with --redact-principals (absent otherwise). */
      redactedRecords: z.record(z.string(), z.number().int().min(0)).optional(),
    }),
  ),
  /** Set only by --redact-principals: what was replaced, where, and how the pseudonyms are made. Signed with the rest. */
  redaction: z
    .object({
      what: z.literal('principals'),
      files: z.array(z.string()),
      pseudonym: z.string(),
      fields: z.string(),
      text: z.string(),
      keys: z.string(),
    })
    .optional(),
  profile: z.object({ name: z.string(), version: z.string().nullable(), sha256, file: z.string() }).nullable(),
  ratecard: z.object({ name: z.string(), version: z.string().nullable(), currency: z.string(), effectiveDate: z.string(), sha256, file: z.string() }).nullable(),
  sizes: z.object({ id: z.string(), sha256: sha256.nullable() }).nullable(),
  sample: z.object({ seed: z.string(), size: z.number().int(), method: z.string() }).nullable(),
  annotationLog: z.object({ count: z.number().int().min(0), head: z.string() }).nullable(),
  signing: z.object({
    signer: z.string(),
    signerFingerprint: sha256,
    timeSource: z.enum(['signer clock', 'rfc3161']),
    tsa: z.string().nullable(),
  }),
  files: z.array(z.object({ path: z.string().refine(isSafePackPath, 'unsafe path'), sha256, size: z.number().int().min(0) })).min(1),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest['files'][number];

export function serialiseManifest(m: Manifest): Buffer {
  const files = [...m.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Buffer.from(`${JSON.stringify({ ...m, files }, null, 2)}\n`, 'utf8');
}

/** Parses manifest bytes; the problem is described for the user when it does not fit. */
export function parseManifest(bytes: Buffer): { ok: true; manifest: Manifest } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { ok: false, problem: `not valid JSON (${jsonProblem((e as Error).message)})` };
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    return { ok: false, problem: zodIssueText(r.error.issues[0]!, '(root)') };
  }
  const seen = new Set<string>();
  for (const f of r.data.files) {
    if (seen.has(f.path)) return { ok: false, problem: `file ${f.path} is listed twice` };
    if ((SIGNATURE_FILES as readonly string[]).includes(f.path)) return { ok: false, problem: `file ${f.path} cannot be listed in the manifest` };
    seen.add(f.path);
  }
  return { ok: true, manifest: r.data };
}
