/**
 * The native menu. Commands that belong to the UI (Import…, New pack…,
 * views) are sent to the renderer as menu events over the one IPC channel;
 * the renderer opens the right screen or dialog. The template is built by a
 * plain function (types only from electron) so its accelerators are tested.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../../shared/contract/shell.ts';

export type MenuOptions = {
  platform: string;
  /** Dev tools and reload only in an unpackaged run. */
  development: boolean;
  send(action: MenuAction): void;
  showStoreFolder(): void;
};

export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = opts.platform === 'darwin';
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => opts.send(action),
  });
  const views: Array<[string, MenuAction]> = [
    ['Start', 'view:start'],
    ['Snapshots', 'view:snapshots'],
    ['Items', 'view:items'],
    ['Compare', 'view:compare'],
    ['Findings', 'view:findings'],
    ['Cost', 'view:cost'],
    ['Packs', 'view:packs'],
    ['Access', 'view:access'],
  ];
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: 'Vaultproof',
      submenu: [
        item('About Vaultproof', 'help:about'),
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      item('&Import…', 'import', 'CmdOrCtrl+O'),
      item('&Collect…', 'collect', 'CmdOrCtrl+Shift+A'),
      { type: 'separator' },
      item('&New pack…', 'newPack', 'CmdOrCtrl+N'),
      item('&Verify pack…', 'verifyPack', 'CmdOrCtrl+Shift+V'),
      { type: 'separator' },
      item('Open &store…', 'openStore', 'CmdOrCtrl+Shift+O'),
      { label: 'Show store folder', click: () => opts.showStoreFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      item('&Find…', 'find', 'CmdOrCtrl+F'),
    ],
  });
  template.push({
    label: '&View',
    submenu: [
      ...views.map(([label, action], i) => item(label, action, `CmdOrCtrl+${i + 1}`)),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.development ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [item('&Keyboard shortcuts', 'help:shortcuts', 'F1'), ...(isMac ? [] : [item('&About Vaultproof', 'help:about')])],
  });
  return template;
}
