import { useEffect, useRef, useState } from 'react';
import type { PreviewView, TemplateView } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t, type MessageKey } from '../../../i18n';
import { BackgroundPanel } from './BackgroundPanel';
import { PreviewOptions, type PreviewSettings, SAMPLE_DATA } from './PreviewOptions';
import { isoDay, nextDay, pdfBytes } from './templateState';

// The editor of one template version: its source (TOML) in a monospace text area (or read from a
// .toml file) with its background PDF (BackgroundPanel), beside it the live preview — every change is
// rendered by the server with the form's sample data or a chosen case's data 300 ms after typing
// stops, the PDF shown (a millimetre grid on request) with its problems (framed in red on the PDF)
// listed — and 公開 of the draft as a new version from a 施行日.

/** Milliseconds after the last change before the draft is rendered. */
export const PREVIEW_DELAY_MS = 300;

interface Props {
  template: TemplateView;
  onPublished: (v: TemplateView) => void;
  onClose: () => void;
}

export function FormTemplateEditor({ template, onPublished, onClose }: Props) {
  const backend = useBackend();
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backend.formTemplateSource(template.id, template.version).then(
      (s) => setSource(s.source),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [backend, template.id, template.version]);

  async function upload(file: File | undefined) {
    if (file) setSource(await file.text());
  }

  return (
    <section className="forms-editor-section" data-testid="form-editor">
      <h2>{t('forms.editor.heading', { name: template.name, version: template.version })}</h2>
      {error && (
        <div className="error-banner" role="alert" data-testid="form-editor-error">
          {error}
        </div>
      )}
      {source !== null && (
        <div className="forms-editor">
          <div>
            <label>
              {t('forms.editor.source')}
              <textarea
                value={source}
                spellCheck={false}
                onChange={(e) => setSource(e.target.value)}
                data-testid="form-source"
              />
            </label>
            <label>
              {t('forms.editor.upload')}
              <input type="file" accept=".toml,text/plain" onChange={(e) => void upload(e.target.files?.[0])} data-testid="form-upload" />
            </label>
            <BackgroundPanel source={source} onChange={setSource} />
          </div>
          <Preview source={source} onPublished={onPublished} />
        </div>
      )}
      <button type="button" className="button" onClick={onClose} data-testid="form-editor-close">
        {t('forms.editor.close')}
      </button>
    </section>
  );
}

/** The draft rendered after each pause in typing, its problems, and 公開. */
function Preview({ source, onPublished }: { source: string; onPublished: (v: TemplateView) => void }) {
  const backend = useBackend();
  const [view, setView] = useState<PreviewView | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [settings, setSettings] = useState<PreviewSettings>(SAMPLE_DATA);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    const request = {
      source,
      grid: settings.grid,
      ...(settings.caseId ? { case_id: settings.caseId, override_reason: settings.reason || null } : {}),
    };
    const timer = setTimeout(() => {
      setBusy(true);
      backend.previewFormTemplate(request).then(
        (v) => {
          if (mine !== generation.current) return;
          setBusy(false);
          setError(null);
          setView(v);
          if (v.pdf_base64) {
            const blob = new Blob([pdfBytes(v.pdf_base64)], { type: 'application/pdf' });
            setUrl((old) => {
              releaseLater(old);
              return URL.createObjectURL(blob);
            });
          }
        },
        (e: unknown) => {
          if (mine !== generation.current) return;
          setBusy(false);
          setError(errorMessage(e));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [backend, source, settings]);

  // The PDF viewer may still read a replaced or closed preview: its URL is released a little later.
  const latest = useRef<string | null>(null);
  latest.current = url;
  useEffect(() => () => releaseLater(latest.current), []);

  return (
    <div className="forms-preview">
      <h3>
        {t('forms.editor.preview')} {busy && <span aria-busy="true">{t('forms.editor.rendering')}</span>}
      </h3>
      {error && (
        <div className="error-banner" role="alert" data-testid="form-preview-error">
          {error}
        </div>
      )}
      <PreviewOptions value={settings} onChange={setSettings} />
      {view && (
        <p data-testid="form-preview-info">
          {view.case_id
            ? t('forms.editor.pagesCase', { pages: view.pages, case: view.case_id })
            : t('forms.editor.pages', { pages: view.pages, sample: view.sample ?? t('forms.editor.noSample') })}
        </p>
      )}
      {url && <iframe src={url} title={t('forms.editor.previewTitle')} data-testid="form-preview" />}
      {view && <Problems view={view} />}
      {view && <Publish source={source} view={view} onPublished={onPublished} />}
    </div>
  );
}

function releaseLater(url: string | null) {
  if (url) setTimeout(() => URL.revokeObjectURL(url), 5_000);
}

function Problems({ view }: { view: PreviewView }) {
  return (
    <div>
      <h3>{t('forms.editor.problems')}</h3>
      {view.problems.length === 0 ? (
        <p data-testid="form-problems-none">{t('forms.editor.noProblems')}</p>
      ) : (
        <>
          <ul className="forms-problems" data-testid="form-problems">
            {view.problems.map((p, i) => (
              <li key={i} data-kind={p.kind} data-testid="form-problem">
                <strong>{t(`forms.problem.${p.kind}` as MessageKey)}</strong>
                {p.line != null && ` ${t('forms.editor.position', { line: p.line, column: p.column ?? 0 })}`}
                ：{p.message}
              </li>
            ))}
          </ul>
          {view.pdf_base64 && <p>{t('forms.editor.marked')}</p>}
        </>
      )}
    </div>
  );
}

function Publish({ source, view, onPublished }: { source: string; view: PreviewView; onPublished: (v: TemplateView) => void }) {
  const backend = useBackend();
  const [from, setFrom] = useState(() => nextDay(isoDay(new Date())));
  const [version, setVersion] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const label = version ?? from;

  async function publish() {
    setSending(true);
    setError(null);
    try {
      onPublished(await backend.publishFormTemplate({ source, version: label, valid_from: from }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <fieldset className="forms-publish" data-testid="form-publish">
      <legend>{t('forms.publish.heading')}</legend>
      <label>
        {t('forms.publish.from')}
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="form-publish-from" />
      </label>
      <label>
        {t('forms.publish.version')}
        <input value={label} onChange={(e) => setVersion(e.target.value)} data-testid="form-publish-version" />
      </label>
      <button
        type="button"
        className="button button-primary"
        disabled={!view.publishable || sending}
        onClick={() => void publish()}
        data-testid="form-publish-button"
      >
        {t('forms.publish.button')}
      </button>
      <p>{view.publishable ? t('forms.publish.note') : t('forms.publish.blocked')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="form-publish-error">
          {error}
        </div>
      )}
    </fieldset>
  );
}
