import { useCallback, useEffect, useState } from 'react';
import type { FormBackgroundView } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { type BackgroundPlacement, backgroundOf, withBackground } from './backgroundSource';
import { bytesToBase64 } from './templateState';

// 背景のPDF: the city's own official form uploaded once (a name never reused), chosen as the
// background of the template being edited, and placed (page, position and size in mm; empty: the
// whole sheet). Setting it rewrites the `background` line of the source; the preview shows the result.

interface Props {
  source: string;
  onChange: (source: string) => void;
}

export function BackgroundPanel({ source, onChange }: Props) {
  const backend = useBackend();
  const [list, setList] = useState<FormBackgroundView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const current = backgroundOf(source);

  const reload = useCallback(() => {
    backend.formBackgrounds().then(setList, (e: unknown) => setError(errorMessage(e)));
  }, [backend]);
  useEffect(reload, [reload]);

  const apply = (b: BackgroundPlacement | null) => onChange(withBackground(source, b));

  return (
    <fieldset className="forms-background" data-testid="form-background">
      <legend>{t('forms.background.heading')}</legend>
      <p>{t('forms.background.intro')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="form-background-error">
          {error}
        </div>
      )}
      <BackgroundList list={list} current={current?.file ?? null} onUse={(file) => apply({ file, page: 1 })} />
      <Upload
        onUploaded={(b) => {
          setError(null);
          reload();
          apply({ file: b.name, page: 1 });
        }}
        onError={setError}
      />
      {current && <Placement key={JSON.stringify(current)} current={current} onApply={apply} />}
    </fieldset>
  );
}

function BackgroundList({ list, current, onUse }: { list: FormBackgroundView[]; current: string | null; onUse: (file: string) => void }) {
  if (list.length === 0) return <p data-testid="form-background-none">{t('forms.background.none')}</p>;
  return (
    <table className="table forms-table" data-testid="form-background-list">
      <thead>
        <tr>
          <th scope="col">{t('forms.background.col.name')}</th>
          <th scope="col">{t('forms.background.col.pages')}</th>
          <th scope="col">{t('forms.background.col.size')}</th>
          <th scope="col">{t('forms.background.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((b) => (
          <tr key={b.name} data-testid="form-background-row">
            <td>{b.name}</td>
            <td>{b.pages}</td>
            <td>{t('forms.background.kb', { kb: Math.max(1, Math.round(b.size / 1024)) })}</td>
            <td>
              {current === b.name ? (
                <span data-testid="form-background-in-use">{t('forms.background.inUse')}</span>
              ) : (
                <button type="button" className="button" onClick={() => onUse(b.name)} data-testid="form-background-use">
                  {t('forms.background.use')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Upload({ onUploaded, onError }: { onUploaded: (b: FormBackgroundView) => void; onError: (e: string) => void }) {
  const backend = useBackend();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [sending, setSending] = useState(false);
  // A new input after each upload, so that the same file can be chosen again.
  const [inputKey, setInputKey] = useState(0);

  async function upload() {
    if (!file) return;
    setSending(true);
    try {
      const pdf_base64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      onUploaded(await backend.uploadFormBackground({ name: name.trim(), pdf_base64 }));
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="forms-background-upload">
      <label>
        {t('forms.background.file')}
        <input
          key={inputKey}
          type="file"
          accept=".pdf,application/pdf"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            if (f) setName(f.name);
          }}
          data-testid="form-background-file"
        />
      </label>
      <label>
        {t('forms.background.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="form-background-name" />
      </label>
      <button type="button" className="button" disabled={!file || sending} onClick={() => void upload()} data-testid="form-background-upload">
        {t('forms.background.upload')}
      </button>
    </div>
  );
}

const BOX = ['x', 'y', 'w', 'h'] as const;

/** The page and the box of the background in force in the source, edited and applied. */
function Placement({ current, onApply }: { current: BackgroundPlacement; onApply: (b: BackgroundPlacement | null) => void }) {
  const [page, setPage] = useState(String(current.page));
  const [box, setBox] = useState(() => Object.fromEntries(BOX.map((k) => [k, current[k]?.toString() ?? ''])) as Record<(typeof BOX)[number], string>);

  function apply() {
    const placement: BackgroundPlacement = { file: current.file, page: Math.max(1, Math.trunc(Number(page)) || 1) };
    for (const k of BOX) {
      const v = box[k].trim();
      if (v !== '' && Number.isFinite(Number(v))) placement[k] = Number(v);
    }
    onApply(placement);
  }

  return (
    <div className="forms-background-placement" data-testid="form-background-placement">
      <p>{t('forms.background.current', { file: current.file })}</p>
      <label>
        {t('forms.background.page')}
        <input type="number" min={1} value={page} onChange={(e) => setPage(e.target.value)} data-testid="form-background-page" />
      </label>
      {BOX.map((k) => (
        <label key={k}>
          {t(`forms.background.${k}`)}
          <input
            inputMode="decimal"
            value={box[k]}
            placeholder={t('forms.background.whole')}
            onChange={(e) => setBox({ ...box, [k]: e.target.value })}
            data-testid={`form-background-${k}`}
          />
        </label>
      ))}
      <button type="button" className="button" onClick={apply} data-testid="form-background-apply">
        {t('forms.background.apply')}
      </button>
      <button type="button" className="button" onClick={() => onApply(null)} data-testid="form-background-remove">
        {t('forms.background.remove')}
      </button>
    </div>
  );
}
