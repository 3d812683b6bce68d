import { useState, type FormEvent } from 'react';
import type { NoticeAudienceView, NoticeInput, NoticeView } from '../../api/types';
import { errorMessage } from '../../backend';
import { fromJstInput, toJstInput } from '../../components/noticeTime';
import { t } from '../../i18n';

// The form of お知らせ (admin): kind, audience, the Japanese text and an optional English one, the
// period shown and — for a maintenance notice — the stop. Times are entered in Japan time.

export interface NoticeDraft {
  kind: 'notice' | 'maintenance';
  audience: string;
  textJa: string;
  textEn: string;
  startsAt: string;
  endsAt: string;
  windowStart: string;
  windowEnd: string;
}

/** A new notice's draft (shown from now for a week), or an existing notice's. */
export function draftOf(notice: NoticeView | null, now = new Date()): NoticeDraft {
  if (!notice) {
    const start = toJstInput(now.toISOString());
    const end = toJstInput(new Date(now.getTime() + 7 * 86_400_000).toISOString());
    return { kind: 'notice', audience: 'all', textJa: '', textEn: '', startsAt: start, endsAt: end, windowStart: '', windowEnd: '' };
  }
  return {
    kind: notice.kind === 'maintenance' ? 'maintenance' : 'notice',
    audience: notice.audience,
    textJa: notice.text_ja,
    textEn: notice.text_en ?? '',
    startsAt: toJstInput(notice.starts_at),
    endsAt: toJstInput(notice.ends_at),
    windowStart: notice.window_start ? toJstInput(notice.window_start) : '',
    windowEnd: notice.window_end ? toJstInput(notice.window_end) : '',
  };
}

/** What the server is sent for a draft (the server checks it and says what is wrong, in Japanese). */
export function inputOf(d: NoticeDraft, revision?: number): NoticeInput {
  const maintenance = d.kind === 'maintenance';
  return {
    kind: d.kind,
    audience: maintenance ? 'all' : d.audience,
    text_ja: d.textJa,
    text_en: d.textEn.trim() ? d.textEn : null,
    starts_at: fromJstInput(d.startsAt),
    ends_at: fromJstInput(d.endsAt),
    window_start: maintenance ? fromJstInput(d.windowStart) || null : null,
    window_end: maintenance ? fromJstInput(d.windowEnd) || null : null,
    ...(revision !== undefined ? { revision } : {}),
  };
}

export function NoticeForm({
  notice,
  audiences,
  onSave,
  onCancel,
}: {
  /** The notice edited; `null` for a new one. */
  notice: NoticeView | null;
  audiences: NoticeAudienceView[];
  onSave: (input: NoticeInput) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [d, setD] = useState<NoticeDraft>(() => draftOf(notice));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<NoticeDraft>) => setD((old) => ({ ...old, ...change }));
  const maintenance = d.kind === 'maintenance';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await onSave(inputOf(d, notice?.revision));
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form panel" onSubmit={submit} aria-labelledby="notice-form-title" data-testid="notice-form">
      <h2 id="notice-form-title">{t(notice ? 'notices.form.editHeading' : 'notices.form.createHeading')}</h2>
      {problem && (
        <div className="error-banner" role="alert" data-testid="notice-form-error">
          {problem}
        </div>
      )}
      <label className="field">
        <span>{t('notices.form.kind')}</span>
        <select value={d.kind} onChange={(e) => set({ kind: e.target.value as NoticeDraft['kind'] })} data-testid="notice-kind">
          <option value="notice">{t('notices.kind.notice')}</option>
          <option value="maintenance">{t('notices.kind.maintenance')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('notices.form.audience')}</span>
        <select value={maintenance ? 'all' : d.audience} disabled={maintenance} onChange={(e) => set({ audience: e.target.value })} data-testid="notice-audience">
          <option value="all">{t('notices.audience.all')}</option>
          {audiences.map((a) => (
            <option key={a.audience} value={a.audience}>
              {audienceLabel(a.audience, audiences)}
            </option>
          ))}
        </select>
        {maintenance && <small>{t('notices.form.audienceMaintenance')}</small>}
      </label>
      <label className="field">
        <span>{t('notices.form.textJa')}</span>
        <textarea rows={4} value={d.textJa} onChange={(e) => set({ textJa: e.target.value })} data-testid="notice-text-ja" />
      </label>
      <label className="field">
        <span>{t('notices.form.textEn')}</span>
        <textarea rows={3} value={d.textEn} onChange={(e) => set({ textEn: e.target.value })} data-testid="notice-text-en" />
        <small>{t('notices.form.textEnHint')}</small>
      </label>
      <p className="muted">{t('notices.form.timesHint')}</p>
      <TimeField label={t('notices.form.startsAt')} value={d.startsAt} onChange={(v) => set({ startsAt: v })} testId="notice-starts" />
      <TimeField label={t('notices.form.endsAt')} value={d.endsAt} onChange={(v) => set({ endsAt: v })} testId="notice-ends" />
      {maintenance && (
        <fieldset>
          <legend>{t('notices.col.window')}</legend>
          <p className="muted">{t('notices.form.windowHint')}</p>
          <TimeField label={t('notices.form.windowStart')} value={d.windowStart} onChange={(v) => set({ windowStart: v })} testId="notice-window-start" />
          <TimeField label={t('notices.form.windowEnd')} value={d.windowEnd} onChange={(v) => set({ windowEnd: v })} testId="notice-window-end" />
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="notice-save">
          {t('notices.form.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('notices.form.cancel')}
        </button>
      </div>
    </form>
  );
}

function TimeField({ label, value, onChange, testId }: { label: string; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/** `group:shimin` → 「グループ：市民課」 with the name the tenant gave it; `all` → 全員. */
export function audienceLabel(audience: string, audiences: readonly NoticeAudienceView[]): string {
  if (audience === 'all') return t('notices.audience.all');
  const found = audiences.find((a) => a.audience === audience);
  const name = found?.name ?? audience.slice(audience.indexOf(':') + 1);
  return audience.startsWith('group:') ? t('notices.audience.group', { name }) : t('notices.audience.counter', { name });
}
