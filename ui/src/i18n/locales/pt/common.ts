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

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'Ler com a câmera',
  'camera.title': 'Ler o código QR com a câmera',
  'camera.hint': 'Mostre o código QR dentro da moldura branca.',
  'camera.video': 'Imagem da câmera',
  'camera.starting': 'Ligando a câmera…',
  'camera.scanning': 'Lendo…',
  'camera.close': 'Fechar',
  'camera.problem.unsupported': 'A câmera não pode ser usada nesta tela.',
  'camera.problem.denied': 'Não há permissão para usar a câmera. Permita o uso da câmera e tente novamente.',
  'camera.problem.none': 'Nenhuma câmera foi encontrada. Verifique se a câmera está conectada.',
  'camera.problem.busy': 'Outro aplicativo está usando a câmera. Feche o outro aplicativo e tente novamente.',
  'camera.problem.failed': 'Não foi possível usar a câmera. Tente novamente.',
};
