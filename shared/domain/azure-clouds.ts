/**
 * The Azure clouds Vaultproof can collect from. A custom cloud (Azure Stack
 * Hub, a private or sovereign cloud) names its own authority host, ARM
 * endpoint and token scope; when no scope is given the collector asks the ARM
 * endpoint's metadata (`/metadata/endpoints`) for its token audience.
 */

export const cloudNames = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'custom'] as const;
export type CloudName = (typeof cloudNames)[number];

export type CloudPreset = {
  name: Exclude<CloudName, 'custom'>;
  label: string;
  authorityHost: string;
  armEndpoint: string;
  tokenScope: string;
};

export const cloudPresets: readonly CloudPreset[] = [
  {
    name: 'AzureCloud',
    label: 'Azure (global)',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    tokenScope: 'https://management.azure.com/.default',
  },
  {
    name: 'AzureUSGovernment',
    label: 'Azure US Government',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    tokenScope: 'https://management.usgovcloudapi.net/.default',
  },
  {
    name: 'AzureChinaCloud',
    label: 'Azure operated by 21Vianet (China)',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    tokenScope: 'https://management.chinacloudapi.cn/.default',
  },
];

export function cloudPreset(name: string): CloudPreset | undefined {
  return cloudPresets.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** `https://host[:port][/path]` without a trailing slash, or null when not an https URL. */
export function normaliseEndpoint(url: string): string | null {
  const s = url.trim();
  if (!/^https:\/\/[^/\s?#]+(\/[^\s?#]*)?$/i.test(s)) return null;
  return s.replace(/\/+$/, '');
}
