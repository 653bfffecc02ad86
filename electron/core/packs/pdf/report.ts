/**
 * report.pdf: renders every section with pdfkit, then embeds a CMS signature
 * (adbe.pkcs7.detached, the form pdfsig and Acrobat check) with @signpdf, as
 * a certification signature (DocMDP, no changes permitted).
 */
import PDFDocument from 'pdfkit';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { throwIfCancelled } from '../../cancel.ts';
import { signDetachedNative } from '../sign/cms.ts';
import { addCertificationPlaceholder } from '../sign/pdf-certify.ts';
import type { SigningIdentity } from '../sign/identity.ts';
import type { PackModel } from '../model.ts';
import { fmtTime } from '../write/format.ts';
import { accessSection } from './access.ts';
import { changes, findings, sample } from './analysis.ts';
import { PdfWriter } from './layout.ts';
import { restoreReadiness } from './restore.ts';
import { alertRoutingSection } from './alerts.ts';
import { policySection } from './policy.ts';
import { charts, cover, executiveSummary } from './overview.ts';
import { appendix, completeness, costSection, exceptionsRegister, methodology, restoreTestsRegister } from './registers.ts';

/** Room for the CMS blob: two RSA-3072 certificates and a signature need ~3 KB; organisation chains can be longer. */
const SIGNATURE_BYTES = 16384;

function signerCn(id: SigningIdentity): string {
  const cn = id.cert.subject.getField('CN') as { value?: string } | null;
  return cn?.value ?? 'Vaultproof signer';
}

/**
 * @signpdf's Signer with our CMS writer. @signpdf/signer-p12 builds the same
 * SignedData with node-forge, whose JS SHA-256 over the whole PDF took ~1.3 s
 * for 200 KB here; this one hashes natively and reuses the opened identity.
 */
class NativeCmsSigner extends Signer {
  private readonly identity: SigningIdentity;
  constructor(identity: SigningIdentity) {
    super();
    this.identity = identity;
  }
  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    return signDetachedNative([pdfBuffer], this.identity, signingTime ?? new Date());
  }
}

/** Renders the report and returns the signed PDF bytes. */
export async function buildReport(m: PackModel, signer: SigningIdentity, signal?: AbortSignal): Promise<Buffer> {
  const created = new Date(m.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    autoFirstPage: true,
    margins: { top: 62, bottom: 58, left: 48, right: 48 },
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `Azure Backup evidence pack ${m.packId}`,
      Author: m.createdBy,
      Subject: `Snapshot ${m.current.summary.id} as of ${m.current.summary.asOf}`,
      Keywords: `vaultproof; evidence pack; ${m.packId}`,
      Creator: `Vaultproof ${m.toolVersion}`,
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const w = new PdfWriter(doc);
  const sections: Array<(w: PdfWriter, m: PackModel) => void> = [
    cover,
    executiveSummary,
    charts,
    changes,
    findings,
    sample,
    exceptionsRegister,
    restoreTestsRegister,
    accessSection,
    alertRoutingSection,
    policySection,
    costSection,
    completeness,
    methodology,
    restoreReadiness,
    appendix,
  ];
  for (const s of sections) {
    throwIfCancelled(signal, 'pack build cancelled');
    s(w, m);
  }
  w.finishPages(`Vaultproof evidence pack ${m.packId}`, `Pack ${m.packId} · snapshot as of ${fmtTime(m.current.summary.asOf)}`);

  // The signature field sits on the last page (an invisible widget, as signature dictionaries require one).
  const last = doc.bufferedPageRange();
  doc.switchToPage(last.start + last.count - 1);
  const email = (signer.cert.subject.getField('E') as { value?: string } | null)?.value ?? '';
  // A certification signature (DocMDP, no changes permitted): readers flag any update appended later.
  addCertificationPlaceholder(doc, {
    reason: `Evidence pack ${m.packId}`,
    contactInfo: email,
    name: signerCn(signer),
    signingTime: created,
    signatureLength: SIGNATURE_BYTES,
    appName: 'Vaultproof',
  });
  doc.end();
  await ended;
  const unsigned = Buffer.concat(chunks);
  return new SignPdf().sign(unsigned, new NativeCmsSigner(signer), created);
}
