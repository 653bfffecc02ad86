import { useState } from 'react';
import { Text } from '@fluentui/react-components';
import { ViewHeader } from '../components/Section.tsx';
import { BuildPack } from './packs/BuildPack.tsx';
import { VerifyPack } from './packs/VerifyPack.tsx';
import { CosignPanel, IdentitiesPanel } from './packs/signing-panels.tsx';

/** Build a signed evidence pack, and verify any pack (yours or someone else's). */
export function PacksView() {
  const [verifyPath, setVerifyPath] = useState<string | null>(null);
  return (
    <div data-testid="packs-view">
      <ViewHeader
        title="Evidence packs"
        subtitle="A pack is what you hand to the auditor: a signed PDF report, an Excel workbook, the data as JSON and a signed manifest of every file's hash. Anyone can verify it without Vaultproof (openssl, pdfsig) — or here."
      />
      <BuildPack onVerify={(p) => setVerifyPath(p)} />
      <VerifyPack presetPath={verifyPath} />
      <CosignPanel />
      <IdentitiesPanel />
      <Text size={200}>Tip: the pack's folder also holds signer.pem; share your identity's CA certificate with the auditor so their tools report the signer as trusted.</Text>
    </div>
  );
}
