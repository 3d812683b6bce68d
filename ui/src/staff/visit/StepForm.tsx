import { useEffect, type FormEvent, type ReactNode } from 'react';
import { t } from '../../i18n';

export function StepForm({
  title,
  onSubmit,
  children,
  hint,
  testId,
}: {
  title: string;
  onSubmit: () => void;
  children: ReactNode;
  hint?: ReactNode;
  testId: string;
}) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  // Enter advances also when nothing has the focus (after answering with y/n, after a click).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== 'Enter' || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      const choice = target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'checkbox');
      if (target && target !== document.body && !choice) return;
      e.preventDefault();
      onSubmit();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSubmit]);
  return (
    <form className="panel step-panel" onSubmit={submit} data-testid={testId} noValidate>
      <h2>{title}</h2>
      {children}
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="next">
          {t('visit.next')} <kbd>Enter</kbd>
        </button>
        {hint && <span className="hint">{hint}</span>}
      </div>
    </form>
  );
}
