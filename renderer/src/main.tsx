import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, webLightTheme } from '@fluentui/react-components';
import type { Bridge } from '../../shared/contract/transport.ts';
import { pickTransport } from './transport.ts';
import { App } from './App.tsx';
import './global.css';

const root = createRoot(document.getElementById('root')!);
// Async: a fresh web-mode tab may ask an open tab for the token (transport.ts).
void pickTransport(window as Window & { vaultproof?: Bridge }).then((choice) => {
  if (choice.transport) {
    root.render(
      <StrictMode>
        <App transport={choice.transport} />
      </StrictMode>,
    );
  } else {
    root.render(
      <FluentProvider theme={webLightTheme}>
        <div style={{ padding: 24 }}>
          <MessageBar intent="error" layout="multiline" data-testid="no-token">
            <MessageBarBody>
              <MessageBarTitle>Vaultproof cannot connect</MessageBarTitle>
              {choice.problem}
            </MessageBarBody>
          </MessageBar>
        </div>
      </FluentProvider>,
    );
  }
});
