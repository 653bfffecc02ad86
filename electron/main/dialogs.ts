/** Native dialogs, answered in main only (the renderer never sees a file system API). */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ShellHandlers } from '../core/api/types.ts';

export function dialogHandlers(window: () => BrowserWindow | null): Pick<ShellHandlers, 'dialog.openFiles' | 'dialog.chooseFolder' | 'dialog.saveFile'> {
  const open = (options: OpenDialogOptions) => {
    const win = window();
    return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
  };
  const save = (options: SaveDialogOptions) => {
    const win = window();
    return win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options);
  };
  return {
    'dialog.openFiles': async (input) => {
      const r = await open({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.filters ? { filters: input.filters } : {}),
        properties: input.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      });
      return { paths: r.canceled ? [] : r.filePaths };
    },
    'dialog.chooseFolder': async (input) => {
      const r = await open({ ...(input.title !== undefined ? { title: input.title } : {}), properties: ['openDirectory', 'createDirectory'] });
      return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
    },
    'dialog.saveFile': async (input) => {
      const r = await save({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.defaultName !== undefined ? { defaultPath: input.defaultName } : {}),
        ...(input.filters ? { filters: input.filters } : {}),
      });
      return { path: r.canceled || !r.filePath ? null : r.filePath };
    },
  };
}
