/** A button that copies a text to the clipboard and says so in a toast. */
import { showToast } from './Toasts';

/** Copies `text`; `copied` is the toast shown once the browser has taken it. */
export function CopyButton({
  text,
  copied,
  label = 'Copy',
}: {
  text: string;
  copied: string;
  label?: string;
}) {
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard
          ?.writeText(text)
          .then(() => showToast(copied))
          .catch(() => showToast('The browser refused the clipboard: select the text instead'));
      }}
    >
      {label}
    </button>
  );
}
