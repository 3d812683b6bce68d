import type { DeviceStatus, PrinterReport, TowerReport } from '../../api/types';
import { formatWarekiDateTime, t, type MessageKey } from '../../i18n';

// A terminal's devices as it last reported them (発行端末の設定, 端末管理): the printers, the signal
// tower, the card reader, the receipt paper and when the report came. A test double (the mock printer
// or tower) is named as such, never as a real device.

function printerText(p: PrinterReport | null | undefined): string {
  if (!p) return t('devices.notConfigured');
  switch (p.kind) {
    case 'mock':
      return t('devices.mock');
    case 'tcp':
      return t('devices.tcp', { name: p.name ?? '' });
    case 'device':
      return t('devices.device');
    case 'system':
      return t('devices.system', { name: p.name ?? '' });
  }
}

function towerText(tower: TowerReport | null | undefined): string {
  if (!tower) return t('devices.notConfigured');
  return tower.kind === 'mock' ? t('devices.mock') : t('devices.tcp', { name: tower.name ?? '' });
}

export function DeviceSummary({ devices, testId }: { devices: DeviceStatus | null | undefined; testId: string }) {
  if (!devices) {
    return (
      <p className="muted" data-testid={testId}>
        {t('devices.none')}
      </p>
    );
  }
  const cardKey = `devices.card.${devices.card_state}` as MessageKey;
  return (
    <dl className="device-summary" data-testid={testId}>
      <dt>{t('devices.receiptPrinter')}</dt>
      <dd>
        {printerText(devices.receipt_printer)}
        {devices.receipt_paper_out && (
          <strong className="badge badge-warning" role="status">
            {' '}
            {t('devices.paperOut')}
          </strong>
        )}
      </dd>
      <dt>{t('devices.documentPrinter')}</dt>
      <dd>{printerText(devices.document_printer)}</dd>
      <dt>{t('devices.tower')}</dt>
      <dd>{towerText(devices.signal_tower)}</dd>
      <dt>{t('devices.cardReader')}</dt>
      <dd>
        {devices.card_reader ?? t('devices.firstReader')}・{t(cardKey)}
      </dd>
      <dt>{t('devices.appVersion')}</dt>
      <dd>{devices.app_version}</dd>
      <dt>{t('devices.reportedAt')}</dt>
      <dd>{formatWarekiDateTime(devices.reported_at)}</dd>
    </dl>
  );
}
