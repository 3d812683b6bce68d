// Português (do Brasil): the shared texts residents see (loading, dates, signature box, maintenance).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'Carregando…',
  'date.wareki': '{day}/{month} do ano {year} da era {era}',
  'date.firstYear': '1',
  'date.warekiYear': 'Ano {year} da era {era}',
  'era.meiji': 'Meiji',
  'era.taisho': 'Taisho',
  'era.showa': 'Showa',
  'era.heisei': 'Heisei',
  'era.reiwa': 'Reiwa',
  'visit.signature.area': 'Campo de assinatura',
  'visit.signature.hint': 'Assine dentro do campo com a caneta ou com o dedo.',
  'visit.signature.clear': 'Escrever de novo',
  'maintenance.heading': 'Aviso de parada do sistema',
  'maintenance.window': 'O sistema para de {from} até {to}.',
  'maintenance.active': 'O sistema está parado para manutenção agora.',
  'status.heading': 'Situação do sistema',
  'status.tenant': 'Município: {tenant}',
  'status.none': 'Não há parada do sistema prevista.',
  'status.failed': 'Não foi possível carregar a situação. Tente novamente mais tarde.',
};
