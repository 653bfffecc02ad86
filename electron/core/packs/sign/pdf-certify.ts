/**
 * The signature placeholder of report.pdf as a certification signature:
 * @signpdf/placeholder-pdfkit writes an approval signature (its dictionary is
 * ended inside the call, so nothing can be added to it), so this builds the
 * same objects with the DocMDP transform added (ISO 32000-1, 12.8.2.2):
 * /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 >> >>] in
 * the signature dictionary and /Perms << /DocMDP sig >> in the catalog.
 * P 1 is "no changes permitted": a reader flags any later incremental
 * update, a retitling as much as a new signature. Both sit inside the signed
 * byte range, so neither can be removed without breaking the signature.
 */
import type PDFDocument from 'pdfkit';

/** @signpdf/utils: the ByteRange placeholder SignPdf looks for, and SigFlags SignaturesExist | AppendOnly. */
const BYTE_RANGE_PLACEHOLDER = '**********';
const SIG_FLAGS = 1 | 2;

/** DocMDP permission 1: no changes to the document are permitted. */
export const DOCMDP_NO_CHANGES = 1;

type PdfRef = { end(): void };
/** The pdfkit internals the placeholder needs (the same ones @signpdf/placeholder-pdfkit uses). */
type PdfInternals = {
  ref(data: Record<string, unknown>): PdfRef;
  initForm(): void;
  _acroform?: unknown;
  _root: { data: Record<string, unknown> & { AcroForm: { data: { Fields: PdfRef[]; DR?: unknown } & Record<string, unknown> } } };
  page: { dictionary: unknown; annotations: PdfRef[] };
};

export type CertificationPlaceholder = {
  reason: string;
  contactInfo: string;
  name: string;
  signingTime: Date;
  signatureLength: number;
  appName: string;
};

/** Adds an invisible signature field on the current page whose signature certifies the document (DocMDP P 1). */
export function addCertificationPlaceholder(doc: typeof PDFDocument.prototype, o: CertificationPlaceholder): void {
  const pdf = doc as unknown as PdfInternals;
  const signature = pdf.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'adbe.pkcs7.detached',
    ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
    Contents: Buffer.from(String.fromCharCode(0).repeat(o.signatureLength)),
    // pdfkit writes a String object as a PDF string and a plain string as a name.
    Reason: new String(o.reason),
    M: o.signingTime,
    ContactInfo: new String(o.contactInfo),
    Name: new String(o.name),
    Location: new String(''),
    Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: { Type: 'TransformParams', P: DOCMDP_NO_CHANGES, V: '1.2' } }],
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: o.appName } },
  });
  if (!pdf._acroform) pdf.initForm();
  const form = pdf._root.data.AcroForm;
  const fieldId = form.data.Fields.length + 1;
  form.data = { Type: 'AcroForm', SigFlags: SIG_FLAGS, Fields: form.data.Fields, DR: form.data.DR };
  const widget = pdf.ref({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], V: signature, T: new String(`Signature${fieldId}`), P: pdf.page.dictionary });
  pdf.page.annotations.push(widget);
  form.data.Fields.push(widget);
  pdf._root.data.Perms = { DocMDP: signature };
  signature.end();
  widget.end();
}
