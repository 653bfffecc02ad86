import { Dropdown, Field, Option } from '@fluentui/react-components';
import type { SnapshotListed } from '../../../shared/contract/methods/snapshots.ts';
import type { Completeness } from '../../../shared/domain/coverage.ts';
import { formatCount, formatTime } from '../format.ts';
import { newestFirst, uniquePrefix } from '../snapshot-order.ts';

/** Completeness in words, on every snapshot wherever it is named. */
export const completenessLabel: Record<Completeness, string> = { verified: 'verified', asStated: 'as stated by the files', incomplete: 'INCOMPLETE' };

/** Label, as-of, items, the shortest id prefix unique among `all` (two imports in one millisecond share 8 characters), completeness. */
export function snapshotLabel(s: SnapshotListed, all: readonly { id: string }[] = []): string {
  return `${s.label ? `${s.label} · ` : ''}${formatTime(s.asOf)} · ${formatCount(s.itemCount)} items · ${uniquePrefix(s.id, all)} · ${completenessLabel[s.completeness]}`;
}

/** Chooses one snapshot; newest last in the store's list, newest first here. */
export function SnapshotPicker(props: {
  label: string;
  snapshots: SnapshotListed[];
  value: string | null;
  onChange: (id: string) => void;
  testId: string;
  allowNone?: string;
  /** Label beside the dropdown instead of above it (saves a line where height is scarce). */
  inline?: boolean;
}) {
  const ordered = newestFirst(props.snapshots);
  const selected = props.snapshots.find((s) => s.id === props.value);
  const NONE = '__none__';
  return (
    <Field label={props.label} orientation={props.inline ? 'horizontal' : 'vertical'} style={props.inline ? { alignItems: 'center', minWidth: 0, flex: '1 1 0', justifyContent: 'end', gridTemplateColumns: 'auto minmax(0, 560px)', columnGap: '8px' } : { minWidth: 0 }}>
      <Dropdown
        data-testid={props.testId}
        value={selected ? snapshotLabel(selected, props.snapshots) : (props.allowNone ?? '')}
        selectedOptions={props.value ? [props.value] : props.allowNone ? [NONE] : []}
        onOptionSelect={(_, d) => d.optionValue && props.onChange(d.optionValue === NONE ? '' : d.optionValue)}
        style={{ minWidth: props.inline ? 240 : 0, maxWidth: '100%' }}
        // One line, cut with an ellipsis: a wrapped label doubles the control's height and overlaps its neighbour.
        button={{
          title: selected ? `${snapshotLabel(selected, props.snapshots)} — full id ${selected.id}` : undefined,
          children: <span style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>{selected ? snapshotLabel(selected, props.snapshots) : (props.allowNone ?? '')}</span>,
        }}
      >
        {props.allowNone ? (
          <Option value={NONE} text={props.allowNone}>
            {props.allowNone}
          </Option>
        ) : null}
        {ordered.map((s) => (
          <Option key={s.id} value={s.id} text={snapshotLabel(s, props.snapshots)} data-testid={`${props.testId}-option-${s.id}`}>
            {snapshotLabel(s, props.snapshots)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
