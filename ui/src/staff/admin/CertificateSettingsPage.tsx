import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { CertificateSettingsView, PutCertificateSettings } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t, type MessageKey } from '../../i18n';
import { CounterCertificatesForm } from './CounterCertificatesForm';

/** The route of the page. */
export const CERTIFICATE_SETTINGS_PATH = '/staff/certificate-settings';

/** The longest mayor line the server takes. */
export const MAYOR_MAX = 40;

/** Whether a user may set the mayor line and the 公印 (admins only). */
export function mayEditCertificateSettings(permissions: string[]): boolean {
  return permissions.includes('admin');
}

/** The largest 公印 image the server takes (256 KB). */
export const SEAL_MAX_BYTES = 256 * 1024;

/** Every PNG starts with the bytes 89 50 4E 47 0D 0A 1A 0A: in base64, this prefix. */
const PNG_BASE64_START = 'iVBORw0KGgo';

/** Whether a data URL holds a PNG (by its bytes, whatever type the browser guessed). */
export function isPngDataUrl(dataUrl: string): boolean {
  const comma = dataUrl.indexOf(',');
  return (
    dataUrl.startsWith('data:') &&
    dataUrl.slice(0, comma).endsWith(';base64') &&
    dataUrl.startsWith(PNG_BASE64_START, comma + 1)
  );
}

/** A file read as a data URL. */
function readDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('no data')));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** The mayor line as typed: empty while it is the default. */
function typedMayor(view: CertificateSettingsView): string {
  return view.mayor_is_default ? '' : view.mayor;
}

/** A chosen PNG 公印, not saved yet. */
interface ChosenSeal {
  name: string;
  dataUrl: string;
}

/** 証明書の設定: the mayor line and the 公印 printed on certificates, with a 見本; and which certificates
 * each counter issues (admins). */
export function CertificateSettingsPage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const ids = useId();
  const allowed = mayEditCertificateSettings(permissions);
  const [view, setView] = useState<CertificateSettingsView | null>(null);
  const [mayor, setMayor] = useState('');
  const [seal, setSeal] = useState<ChosenSeal | null>(null);
  /** Bumped to clear the file input after a save. */
  const [fileKey, setFileKey] = useState(0);
  const [busy, setBusy] = useState<'save' | 'remove' | 'preview' | null>(null);
  const [askingRemove, setAskingRemove] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const frameRef = useRef<HTMLIFrameElement>(null);

  const loaded = useCallback((next: CertificateSettingsView) => {
    setView(next);
    setMayor(typedMayor(next));
  }, []);

  useEffect(() => {
    if (!allowed) return;
    backend
      .certificateSettings()
      .then(loaded)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [allowed, backend, loaded]);

  useEffect(
    () => () => {
      if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    },
    [pdfUrl],
  );

  if (!allowed) {
    return (
      <main className="page">
        <h1>{t('certSettings.title')}</h1>
        <p role="alert">{t('certSettings.adminOnly')}</p>
      </main>
    );
  }

  async function chooseSeal(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setError(null);
    setDone(null);
    setSeal(null);
    if (!file) return;
    const refuse = (key: MessageKey) => {
      setError(t(key));
      setFileKey((k) => k + 1);
    };
    if (file.type !== '' && file.type !== 'image/png') return refuse('certSettings.sealNotPng');
    if (file.size > SEAL_MAX_BYTES) return refuse('certSettings.sealTooLarge');
    let dataUrl: string;
    try {
      dataUrl = await readDataUrl(file);
    } catch {
      return refuse('certSettings.sealUnreadable');
    }
    if (!isPngDataUrl(dataUrl)) return refuse('certSettings.sealNotPng');
    setSeal({ name: file.name, dataUrl });
  }

  async function put(req: PutCertificateSettings, kind: 'save' | 'remove', message: string) {
    setBusy(kind);
    setError(null);
    setDone(null);
    try {
      loaded(await backend.saveCertificateSettings(req));
      setSeal(null);
      setFileKey((k) => k + 1);
      setPdfUrl(null); // made with the old settings
      setDone(message);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setAskingRemove(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const req: PutCertificateSettings = { mayor: mayor.trim() };
    if (seal) req.seal_png = seal.dataUrl;
    void put(req, 'save', t('certSettings.saved'));
  }

  function removeSeal() {
    if (busy || !view) return;
    // Only the 公印 goes: the mayor line stays as saved, whatever is typed.
    void put({ mayor: typedMayor(view), remove_seal: true }, 'remove', t('certSettings.sealRemoved'));
  }

  async function preview() {
    if (busy) return;
    setBusy('preview');
    setError(null);
    setDone(null);
    try {
      const printed = await backend.previewCertificate();
      setPdfUrl(URL.createObjectURL(printed.pdf));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const defaultMayor = view ? `${view.city}長` : '';

  return (
    <main className="page">
      <h1>{t('certSettings.title')}</h1>
      <p>{t('certSettings.lead')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="cert-settings-error">
          {error}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="cert-settings-done">
          {done}
        </p>
      )}
      {!view ? (
        !error && <p aria-busy="true">{t('app.loading')}</p>
      ) : (
        <>
          <form className="form panel" onSubmit={save} data-testid="cert-settings-form" noValidate>
            <p>
              {t('certSettings.city')}：<strong data-testid="cert-settings-city">{view.city}</strong>
            </p>
            <div className="field">
              <label htmlFor={`${ids}-mayor`}>{t('certSettings.mayor')}</label>
              <input
                id={`${ids}-mayor`}
                name="mayor"
                value={mayor}
                maxLength={MAYOR_MAX}
                placeholder={defaultMayor}
                onChange={(e) => setMayor(e.target.value)}
                aria-describedby={`${ids}-mayor-help`}
                data-testid="cert-settings-mayor"
              />
              <p id={`${ids}-mayor-help`} className="muted">
                {t('certSettings.mayorHelp', { default: defaultMayor })}
              </p>
            </div>
            <fieldset className="field">
              <legend>{t('certSettings.seal')}</legend>
              <p data-testid="cert-settings-seal">
                {view.seal
                  ? t('certSettings.sealSet', {
                      width: view.seal.width_px,
                      height: view.seal.height_px,
                      digest: view.seal.sha256.slice(0, 16),
                    })
                  : t('certSettings.sealUnset')}
              </p>
              {view.seal && (
                <div>
                  {askingRemove ? (
                    <span role="group" aria-label={t('certSettings.removeQuestion')}>
                      {t('certSettings.removeQuestion')}{' '}
                      <button
                        type="button"
                        className="button button-primary button-small"
                        onClick={removeSeal}
                        disabled={busy !== null}
                        data-testid="cert-settings-remove-yes"
                      >
                        {t('certSettings.removeYes')}
                      </button>{' '}
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        onClick={() => setAskingRemove(false)}
                        disabled={busy !== null}
                      >
                        {t('certSettings.removeNo')}
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setAskingRemove(true)}
                      disabled={busy !== null}
                      data-testid="cert-settings-remove-seal"
                    >
                      {t('certSettings.removeSeal')}
                    </button>
                  )}
                </div>
              )}
              <div className="field">
                <label htmlFor={`${ids}-seal`}>{t('certSettings.sealFile')}</label>
                <input
                  key={fileKey}
                  id={`${ids}-seal`}
                  type="file"
                  name="seal"
                  accept="image/png,.png"
                  onChange={(e) => void chooseSeal(e)}
                  aria-describedby={`${ids}-seal-help`}
                  data-testid="cert-settings-seal-file"
                />
                <p id={`${ids}-seal-help`} className="muted">
                  {t('certSettings.sealFileHelp')}
                </p>
                {seal && (
                  <p data-testid="cert-settings-seal-chosen">
                    <img src={seal.dataUrl} alt="" width={48} height={48} style={{ objectFit: 'contain' }} />{' '}
                    {t('certSettings.sealChosen', { name: seal.name })}
                  </p>
                )}
              </div>
            </fieldset>
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={busy !== null}
                data-testid="cert-settings-save"
              >
                {busy === 'save' ? t('certSettings.saving') : t('certSettings.save')}
              </button>
              <button
                type="button"
                className="button button-secondary"
                disabled={busy !== null}
                onClick={() => void preview()}
                data-testid="cert-settings-preview"
              >
                {busy === 'preview' ? t('certSettings.previewing') : t('certSettings.preview')}
              </button>
              {pdfUrl && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => frameRef.current?.contentWindow?.print()}
                  data-testid="print-dialog"
                >
                  {t('certSettings.print')}
                </button>
              )}
            </div>
            <p className="muted">{t('certSettings.previewHelp')}</p>
          </form>
          {pdfUrl && (
            <section className="print-preview" aria-label={t('certSettings.previewTitle')}>
              <h2>{t('certSettings.previewTitle')}</h2>
              <iframe ref={frameRef} src={pdfUrl} title={t('certSettings.previewTitle')} data-testid="pdf-preview" />
            </section>
          )}
          <CounterCertificatesForm />
        </>
      )}
    </main>
  );
}
