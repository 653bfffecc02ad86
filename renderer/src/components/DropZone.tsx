import { useRef, useState, type ReactNode } from 'react';
import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  zone: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    textAlign: 'center',
    minHeight: '120px',
  },
  active: { border: `2px dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  hidden: { display: 'none' },
});

/**
 * Drop files here, or pick them. In web mode the browser hands us File
 * objects (uploaded with files.stage); in the desktop app `onPickNative`
 * opens the native dialog instead of the browser's picker.
 */
export function DropZone(props: {
  title: string;
  hint: ReactNode;
  buttonLabel: string;
  accept?: string;
  multiple?: boolean;
  disabled?: boolean;
  onFiles: (files: File[]) => void;
  onPickNative?: () => void;
  testId: string;
}) {
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={mergeClasses(styles.zone, over && styles.active)}
      data-testid={props.testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (props.disabled) return;
        const files = Array.from(e.dataTransfer.files);
        if (files.length > 0) props.onFiles(props.multiple === false ? files.slice(0, 1) : files);
      }}
    >
      <ArrowUploadRegular fontSize={32} aria-hidden />
      <Text weight="semibold">{props.title}</Text>
      <Text size={200}>{props.hint}</Text>
      <Button
        appearance="primary"
        disabled={props.disabled}
        onClick={() => (props.onPickNative ? props.onPickNative() : input.current?.click())}
        data-testid={`${props.testId}-button`}
      >
        {props.buttonLabel}
      </Button>
      <input
        ref={input}
        className={styles.hidden}
        type="file"
        multiple={props.multiple !== false}
        accept={props.accept}
        data-testid={`${props.testId}-input`}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
    </div>
  );
}
