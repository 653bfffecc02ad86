import { useState } from 'react';
import { Button, MessageBar, MessageBarBody, Popover, PopoverSurface, PopoverTrigger, Text } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import type { FindingsViewFilter } from '../../../../shared/domain/findings-view.ts';
import { ApiError, toApiError, useApi } from '../../api.ts';
import { useAppState } from '../../state.tsx';
import { formatCount } from '../../format.ts';
import { inStoreFolder, stamp } from '../../paths.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

/**
 * The Findings view as an .xlsx written by the engine (same filter as the
 * list, formula-safe cells, through the output guard). On the desktop the
 * system save dialog picks the file; in web mode it goes to the store
 * folder's exports/, an allowed folder, and the path is shown.
 */
export function XlsxExport({ snapshot, view, count }: { snapshot: string; view: FindingsViewFilter; count: number }) {
  const app = useAppState();
  const api = useApi();
  const [done, setDone] = useState<{ path: string; rows: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const native = app.info?.nativeDialogs ?? false;
  const name = `findings-${view.group ?? 'all'}${view.search.trim() ? '-filtered' : ''}-${stamp()}.xlsx`.replace(/[^A-Za-z0-9.-]+/g, '-');

  async function run() {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      let path = inStoreFolder(app.info?.storePath, 'exports', name);
      if (native) {
        const r = await api('dialog.saveFile', { title: 'Export findings', defaultName: name, filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] });
        if (!r.path) return;
        path = r.path;
      }
      const input = { snapshot, view, path, ...(native ? { force: true } : {}) };
      try {
        setDone(await api('findings.export', input));
      } catch (err) {
        if (native || !(err instanceof ApiError) || err.info.code !== 'CONFLICT' || !err.info.message.includes('already exists')) throw err;
        if (!window.confirm(`${path} already exists. Replace it with this export?`)) return;
        setDone(await api('findings.export', { ...input, force: true }));
      }
    } catch (err) {
      setError(toApiError('findings.export', err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Popover open={done !== null || error !== null} onOpenChange={(_, d) => (d.open ? null : (setDone(null), setError(null)))} positioning="below-end" withArrow>
      <PopoverTrigger disableButtonEnhancement>
        <Button icon={<ArrowDownloadRegular />} onClick={() => void run()} disabled={count === 0 || busy} data-testid="findings-export-xlsx" aria-label={`Export xlsx (${formatCount(count)} findings)`} title={`Export these ${formatCount(count)} findings to an Excel workbook`}>
          xlsx
        </Button>
      </PopoverTrigger>
      <PopoverSurface aria-label="Findings export" style={{ maxWidth: 420 }}>
        {done ? (
          <MessageBar intent="success" data-testid="findings-export-xlsx-done">
            <MessageBarBody>
              <Text>
                {formatCount(done.rows)} findings written to <Text font="monospace" style={{ wordBreak: 'break-all' }} data-testid="findings-export-xlsx-path">{done.path}</Text>
              </Text>
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <ErrorNotice error={error} />
      </PopoverSurface>
    </Popover>
  );
}
