import { MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Button, Text } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { ErrorInfo } from '../../../shared/contract/result.ts';
import { explainError } from '../errors.ts';

/** An error that says what happened and what to do. */
export function ErrorNotice(props: { error: { info: ErrorInfo } | ErrorInfo | null | undefined; onDismiss?: () => void; onRetry?: () => void; testId?: string }) {
  const { error } = props;
  if (!error) return null;
  const info: ErrorInfo = 'info' in error ? error.info : error;
  const e = explainError(info);
  return (
    <MessageBar intent={info.code === 'INCOMPLETE' || info.code === 'CANCELLED' ? 'warning' : 'error'} layout="multiline" data-testid={props.testId ?? 'error-notice'} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{e.title}</MessageBarTitle>
        <div>
          <Text>{e.detail}</Text>
        </div>
        {e.where ? (
          <div>
            <Text size={200}>Where: {e.where}</Text>
          </div>
        ) : null}
        <div>
          <Text weight="semibold">What to do: </Text>
          <Text>{e.action}</Text>
        </div>
      </MessageBarBody>
      {props.onDismiss || props.onRetry ? (
        <MessageBarActions
          containerAction={props.onDismiss ? <Button aria-label="Dismiss" appearance="transparent" icon={<DismissRegular />} onClick={props.onDismiss} /> : undefined}
        >
          {props.onRetry ? <Button onClick={props.onRetry}>Try again</Button> : null}
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
