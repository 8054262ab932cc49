// One action's dialog: a modal <dialog> outside the refreshed view (a refresh never closes it), its fields, a
// confirming button named for the operation, and what went wrong, said plainly in it, when the call is refused.
import { esc } from '../views.js';

/** Where the outcome of the last action is announced, for a screen reader too. */
export function announce(text) {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

/**
 * Opens the dialog: `title`, `intro` (what will happen), `fields` (HTML), `confirm` (the operation's name, the
 * confirming button's), `destructive`; `submit(form)` makes the call and returns the notice to show after it. The dialog
 * stays open, with the refusal in it, when the call fails.
 */
export function openDialog({ title, intro, fields = '', confirm, destructive = false, submit, done }) {
  const dialog = document.createElement('dialog');
  dialog.className = 'action';
  dialog.setAttribute('aria-labelledby', 'dialog-title');
  dialog.innerHTML = `<form novalidate>
      <h2 id="dialog-title">${esc(title)}</h2>
      ${intro ? `<p>${intro}</p>` : ''}
      ${fields}
      <p class="error" role="alert" hidden></p>
      <div class="buttons">
        <button type="button" data-dismiss>Close</button>
        <button type="submit"${destructive ? ' class="danger"' : ''}>${esc(confirm)}</button>
      </div>
    </form>`;
  document.body.append(dialog);
  const form = dialog.querySelector('form');
  const error = dialog.querySelector('[role="alert"]');
  // Closed by its button, by Escape or after its call: focus goes back to the button that opened it, then it goes.
  const close = () => dialog.close();
  dialog.querySelector('[data-dismiss]').addEventListener('click', close);
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    error.hidden = true;
    void (async () => {
      try {
        const notice = await submit(form);
        // The page shows what the call did before the dialog closes on it.
        await done?.();
        close();
        announce(notice);
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        button.disabled = false;
      }
    })();
  });
  dialog.showModal();
  return dialog;
}

/** A form's field by name, trimmed; undefined when empty. */
export function fieldValue(form, name) {
  const field = form.elements.namedItem(name);
  if (!field) return undefined;
  if (field.type === 'checkbox') return field.checked;
  const value = field.value.trim();
  return value === '' ? undefined : value;
}

/** A number field's value, or undefined when empty; a value that is not a number is refused before any call. */
export function numberOf(form, name) {
  const text = fieldValue(form, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name}: ${text} is not a number`);
  return value;
}
