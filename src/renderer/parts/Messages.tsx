import { useTranslation } from 'react-i18next';

import type { ClientState } from '../../common/ipc';

import { Modal } from './Modal';

/**
 * The invigilator's messages, over everything, oldest first, until the candidate says they read
 * each one (the invigilator then sees "read"). The text is shown as text, never as markup.
 */
export function Messages({ state }: { state: ClientState }) {
  const { t } = useTranslation();
  const message = state.messages[0];
  if (!message) return null;
  return (
    <Modal
      key={message.id}
      labelledBy="message-title"
      describedBy="message-text"
      className="message"
    >
      <h2 id="message-title">{t('message.title')}</h2>
      <p id="message-text" className="message-text">
        {message.text}
      </p>
      {state.messages.length > 1 && (
        <p className="muted">{t('message.more', { count: state.messages.length - 1 })}</p>
      )}
      <button
        type="button"
        autoFocus
        onClick={() => void window.vakt.readMessage({ id: message.id })}
      >
        {t('message.read')}
      </button>
    </Modal>
  );
}
