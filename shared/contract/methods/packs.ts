import { z } from 'zod';
import { stratifyValues } from './analysis.ts';
import { snapshotRef } from './snapshots.ts';

export const filePath = z.string().min(1).max(4096);
export const passphrase = z.string().min(1).max(1024);

/** Who signs: an organisation's PKCS#12 file, or a local identity kept in the store's folder (created on first use). */
export const signerChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('p12'), file: filePath }).strict(),
  z
    .object({
      kind: z.literal('local'),
      /** Identity name under <store folder>/identities (default "local"). */
      identity: z.string().min(1).max(64).optional(),
      /** Certificate name when the identity is created now (default: the OS user). */
      commonName: z.string().min(1).max(200).optional(),
      email: z.string().max(320).optional(),
    })
    .strict(),
]);
export type SignerChoice = z.infer<typeof signerChoice>;

export type PackFileEntry = { path: string; sha256: string; size: number };

export type PackBuildResult = {
  packId: string;
  /** The pack folder, or the .zip file. */
  path: string;
  zip: boolean;
  snapshotId: string;
  baselineId: string | null;
  itemCount: number;
  complete: boolean;
  files: PackFileEntry[];
  manifestSha256: string;
  signer: { subject: string; fingerprint: string; identityCreated: boolean; caPath: string | null };
  timestamp: { genTime: string; tsa: string } | null;
  annotationLog: { count: number; head: string } | null;
  /** Sections left out and why (analysis not available, no baseline, ...). */
  notes: string[];
};

export type SignatureReport = {
  role: 'preparer' | 'reviewer' | 'pdf';
  file: string;
  valid: boolean;
  problem: string | null;
  subject: string | null;
  fingerprint: string | null;
  signingTime: string | null;
  timeSource: 'signer clock' | 'rfc3161';
  timestamp: { genTime: string; tsa: string; trusted: boolean } | null;
  trusted: boolean;
  trustReason: string;
  /** "valid, signer trusted" | "valid, signer not trusted" | "invalid: …" */
  status: string;
};

export type PackVerifyResult = {
  /** Intact, and (when trust anchors were given, or requireTrusted) every signer trusted: what the exit code follows. */
  ok: boolean;
  intact: boolean;
  allSignersTrusted: boolean;
  /** Anchors were given (or requireTrusted): every signer had to chain to one. */
  trustRequired: boolean;
  /** What was checked: a pack (folder or zip) or a lone report.pdf. */
  kind: 'pack' | 'pdf';
  packId: string | null;
  createdAt: string | null;
  toolVersion: string | null;
  firstFailure: { file: string; reason: string } | null;
  failures: Array<{ file: string; reason: string }>;
  signatures: SignatureReport[];
  files: { checked: number; matching: number };
  /** redacted: records per kind a redacted pack withheld (then recomputed is null: the hash cannot be recomputed, and a warning says so). */
  snapshots: Array<{ id: string; role: string; contentHash: string; recomputed: string | null; ok: boolean; redacted?: Record<string, number> }>;
  warnings: string[];
  /** Checks a pack made by an earlier version predates: said, not failed. */
  predates: string[];
};

export type CosignResult = { path: string; file: string; signer: { subject: string; fingerprint: string }; timestamp: { genTime: string; tsa: string } | null };

export type IdentitySummary = {
  name: string;
  subject: string;
  email: string | null;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  createdAt: string;
  p12Path: string;
  caPath: string;
  caFingerprint: string;
};

export type DemoResult = { storePath: string; snapshots: string[]; pack: PackBuildResult; verify: PackVerifyResult; trustAnchor: string };

export const packsMethods = {
  'packs.build': {
    input: z
      .object({
        snapshot: snapshotRef,
        compare: snapshotRef.optional(),
        profile: filePath.optional(),
        ratecard: filePath.optional(),
        sizes: z.string().min(1).max(200).optional(),
        sample: z.object({ seed: z.string().min(1).max(200), size: z.number().int().min(1).max(100000), stratify: z.enum(stratifyValues).optional() }).strict().optional(),
        out: filePath,
        zip: z.boolean().optional(),
        signer: signerChoice,
        passphrase,
        tsa: z.url().max(2000).optional(),
        /** Items listed in the PDF appendix (the workbook always has all). */
        appendixCap: z.number().int().min(0).max(100000).optional(),
        /** Replace principal names, UPNs and object ids with per-pack pseudonyms in the report, workbook and findings. */
        redactPrincipals: z.boolean().optional(),
      })
      .strict(),
  },
  'packs.verify': {
    input: z
      .object({
        path: filePath,
        /** Anchors every signer must chain to: giving any makes an untrusted signer a failure. */
        trust: z.array(filePath).max(100).optional(),
        /** Anchors a timestamp authority must chain to for its time to count. */
        trustTsa: z.array(filePath).max(100).optional(),
        requireTrusted: z.boolean().optional(),
      })
      .strict(),
  },
  'packs.cosign': {
    input: z
      .object({
        path: filePath,
        signer: signerChoice,
        passphrase,
        role: z.literal('reviewer').optional(),
        tsa: z.url().max(2000).optional(),
      })
      .strict(),
  },
} as const;

export type PacksOutputs = {
  'packs.build': PackBuildResult;
  'packs.verify': PackVerifyResult;
  'packs.cosign': CosignResult;
};
