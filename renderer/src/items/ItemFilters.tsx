import { memo } from 'react';
import { rules, type RuleId } from '../../../shared/domain/findings-rules.ts';
import { Dropdown, Option, Field, makeStyles, tokens } from '@fluentui/react-components';
import type { FacetField, ItemFacets } from '../../../shared/contract/methods/ui.ts';
import { formatCount } from '../format.ts';
import { portalWord } from '../portal.ts';

export type FilterField = Exclude<FacetField, 'owner'> | 'owner' | 'finding';
/** Per field, the values chosen: alternatives (A or B). "" is "(none)". */
export type Filters = Partial<Record<FilterField, string[]>>;

/** Fields that take one value: the finding filter asks the engine for one rule's items. */
const singleChoice: ReadonlySet<FilterField> = new Set(['finding']);

/** "Protected", "Protected or Initial backup pending", "3 chosen": what a closed dropdown says. */
export function chosenLabel(labels: string[]): string {
  if (labels.length === 0) return 'Any';
  if (labels.length <= 2) return labels.join(' or ');
  return `${labels.length} chosen`;
}

export const filterLabels: Record<FilterField, string> = {
  protectionState: 'State',
  healthStatus: 'Health',
  workloadType: 'Workload',
  vaultName: 'Vault',
  subscriptionId: 'Subscription',
  owner: 'Owner',
  finding: 'Finding',
  softDeleted: 'Soft-deleted',
  lastBackupStatus: 'Last backup status',
  resourceGroup: 'Resource group',
  policyName: 'Policy',
  backupManagementType: 'Management type',
};

// The questions asked most, in one row that fits 1280 px beside the search; the rest fold under "More filters".
export const primaryFilters: FilterField[] = ['protectionState', 'healthStatus', 'workloadType', 'owner'];
export const moreFilters: FilterField[] = ['vaultName', 'subscriptionId', 'finding', 'softDeleted', 'lastBackupStatus', 'resourceGroup', 'policyName', 'backupManagementType'];

const useStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', rowGap: tokens.spacingVerticalXS },
  inline: { display: 'contents' },
  dd: { minWidth: '128px', maxWidth: '240px' },
  // A chosen value's name is cut with an ellipsis (the whole choice is in the tooltip): the line holds at 1280 px.
  compact: { minWidth: '140px', maxWidth: '175px' },
  // Two values' names must not make the filter line two lines high: the full choice is in the tooltip.
  oneLine: { gridTemplateColumns: '[content] minmax(0, 1fr) [icon] auto [end]' },
  ellipsis: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
});

const ANY = '__any__';

export function valueLabel(field: FilterField, v: string): string {
  if (v === '') return field === 'owner' ? '(no owner)' : '(none)';
  if (field === 'softDeleted') return v === 'true' ? 'Soft-deleted' : 'Not soft-deleted';
  // Findings by rule title (issue 15 item 4); the id is the option's tooltip.
  if (field === 'finding') return rules[v as RuleId]?.title ?? v;
  return portalWord(field, v);
}

/** One dropdown per field, values (several may be chosen) from the snapshot's facets with their counts. Memoised: typing in the search box must not redraw it. */
export const ItemFilters = memo(function ItemFilters(props: {
  fields: FilterField[];
  facets: ItemFacets | undefined;
  filters: Filters;
  onChange: (field: FilterField, values: string[] | undefined) => void;
  extraOptions?: Partial<Record<FilterField, Array<{ value: string; label: string; count?: number; title?: string }>>>;
  /** Called when a dropdown opens (values that are costly to compute are asked for then). */
  onOpen?: (field: FilterField) => void;
  /** Fields whose values are still being computed. */
  pending?: FilterField[];
  /** No label above each dropdown: the field's name is in its value ("State: Any"), to keep the row one line high. */
  compact?: boolean;
}) {
  const styles = useStyles();
  return (
    <div className={props.compact ? styles.inline : styles.root}>
      {props.fields.map((field) => {
        const extra = props.extraOptions?.[field];
        const values = extra ?? (field === 'finding' ? [] : (props.facets?.fields[field as FacetField] ?? []).map((f) => ({ value: f.value, label: valueLabel(field, f.value), count: f.count })));
        const current = props.filters[field] ?? [];
        const multi = !singleChoice.has(field);
        const currentLabel = chosenLabel(current.map((c) => values.find((v) => v.value === c)?.label ?? valueLabel(field, c)));
        const dropdown = (
            <Dropdown
              key={field}
              size={props.compact ? 'medium' : 'small'}
              className={props.compact ? styles.compact : styles.dd}
              value={props.compact ? `${filterLabels[field]}: ${currentLabel}` : currentLabel}
              title={props.compact && current.length > 0 ? `${filterLabels[field]}: ${currentLabel}` : undefined}
              multiselect={multi}
              // Rule titles are sentences: a list as narrow as the button wraps each into four lines.
              listbox={field === 'finding' ? { style: { minWidth: 360 } } : undefined}
              button={props.compact ? { className: styles.oneLine, children: <span className={styles.ellipsis}>{`${filterLabels[field]}: ${currentLabel}`}</span> } : undefined}
              selectedOptions={current.length > 0 ? current : [ANY]}
              onOptionSelect={(_, d) => {
                if (d.optionValue === ANY || d.optionValue === undefined) return props.onChange(field, undefined);
                if (!multi) return props.onChange(field, [d.optionValue]);
                const chosen = d.selectedOptions.filter((v) => v !== ANY && v !== '__pending__');
                props.onChange(field, chosen.length > 0 ? chosen : undefined);
              }}
              data-testid={`filter-${field}`}
              aria-label={`Filter by ${filterLabels[field]}`}
              disabled={values.length === 0 && current.length === 0 && !props.onOpen}
              onOpenChange={(_, d) => d.open && props.onOpen?.(field)}
            >
              <Option value={ANY} text="Any">
                Any
              </Option>
              {props.pending?.includes(field) ? (
                <Option value="__pending__" text="Working…" disabled>
                  Working… (evaluating the findings)
                </Option>
              ) : null}
              {values.map((v) => (
                <Option key={v.value} value={v.value} text={v.label} title={'title' in v ? v.title : undefined} data-testid={`filter-${field}-option`}>
                  {v.count !== undefined ? `${v.label} (${formatCount(v.count)})` : v.label}
                </Option>
              ))}
            </Dropdown>
        );
        return props.compact ? (
          dropdown
        ) : (
          <Field key={field} label={filterLabels[field]} size="small">
            {dropdown}
          </Field>
        );
      })}
    </div>
  );
});
