// A hidden tab: the unread count in the title, a browser Notification (when
// allowed), and the room marked read only once the tab is visible again.

import { esperar, iguais } from '../lib/esperar.mjs';
import { enviar, esperarUmaVez } from '../lib/usuarios.mjs';
import { duasPessoasNumaSala } from './sala.mjs';

// Headless Chromium is always "visible": the test flips what the page sees.
function definirVisibilidade(pagina, estado) {
  return pagina.evaluate((valor) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => valor });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => valor === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, estado);
}

export function registrar(executor) {
  executor.teste('aba oculta: contagem no título, notificação e leitura só ao voltar', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await bruno.context().grantPermissions(['notifications']);
    await bruno.evaluate(() => {
      window.__papoNotificacoes = [];
      window.Notification = class {
        static permission = 'granted';
        constructor(titulo, opcoes) { window.__papoNotificacoes.push({ titulo, corpo: opcoes.body }); }
        close() {}
      };
    });
    const titulo = await bruno.title();

    await definirVisibilidade(bruno, 'hidden');
    await enviar(ana, 'Você está aí?');
    await esperarUmaVez(bruno, 'Você está aí?');
    await enviar(ana, 'Responde quando puder.');
    await esperarUmaVez(bruno, 'Responde quando puder.');
    await esperar(async () => (await bruno.title()) === `(2) ${titulo}`, { limiteMs: 2000, mensagem: 'título com (2)' });
    const notificacoes = await bruno.evaluate(() => window.__papoNotificacoes);
    iguais(notificacoes.length, 2, 'uma notificação por mensagem');
    iguais(notificacoes[1].corpo, 'Responde quando puder.', 'corpo da notificação');
    iguais(notificacoes[1].titulo.startsWith('Ana em '), true, 'título da notificação');
    iguais(await ana.locator('.papo-visto').count(), 0, 'não lida enquanto a aba está oculta');

    await definirVisibilidade(bruno, 'visible');
    await esperar(async () => (await bruno.title()) === titulo, { limiteMs: 2000, mensagem: 'título de volta' });
    await esperar(async () => (await ana.locator('li.papo-msg-propria:last-child .papo-visto').count()) === 1,
      { limiteMs: 3000, mensagem: '"Visto por" depois de voltar' });
  });
}
