/**
 * A snapshot's backup-state counts in words — last backup failed, never
 * backed up, soft-deleted — from items.backupStates, which counts with the
 * same definitions as the PDF cover, the workbook Summary and the CLI
 * (shared/domain/backup-state.ts). Two cells of the snapshot details grid.
 */
import { Text } from '@fluentui/react-components';
import { useQuery } from '../api.ts';
import { formatCount } from '../format.ts';

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function BackupStateCounts(props: { snapshot: string; version: number }) {
  const q = useQuery('items.backupStates', { snapshot: props.snapshot }, props.version);
  const c = q.data;
  return (
    <>
      <Text weight="semibold">Backup state</Text>
      <Text data-testid="snapshot-backup-states" title="Counted as the PDF cover, the workbook Summary and the CLI count them">
        {q.error
          ? `not counted: ${q.error.message}`
          : !c
            ? 'counting…'
            : `${plural(c.lastBackupFailed, 'last backup failed', 'last backups failed')} · ${plural(c.neverBackedUp, 'never backed up', 'never backed up')} · ${plural(c.softDeleted, 'soft-deleted', 'soft-deleted')} (of ${plural(c.total, 'item', 'items')})`}
      </Text>
    </>
  );
}
