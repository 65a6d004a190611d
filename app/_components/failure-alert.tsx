import ui from './ui.module.css';

/** The failure of the last action, announced to screen readers; nothing when there is none. */
export function FailureAlert({ failure, id }: { failure: string | undefined; id?: string }) {
  if (!failure) return null;
  return (
    <p id={id} role="alert" className={ui.error}>
      {failure}
    </p>
  );
}
