// Messages after sending (DESIGN §9), two people in two browser contexts:
// edit in place, delete with a confirmation, reactions, @mentions (room
// list badge, notification of a hidden tab) and the ticks of own messages.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { abrirSala, enviar, esperarConectado, esperarUmaVez } from '../lib/usuarios.mjs';
import { duasPessoasNumaSala } from './sala.mjs';

/** The <li> of the message whose text is `texto`. */
function item(pagina, texto) {
  return pagina.locator('#papo-lista-mensagens li.papo-msg')
    .filter({ has: pagina.locator('.papo-texto', { hasText: new RegExp(`^${texto.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** Clicks an action of a message (they show on hover, as for a mouse user). */
async function acao(pagina, li, nome) {
  await li.locator('.papo-bolha').hover();
  await li.getByRole('button', { name: nome }).click();
}

/** The ticks of the last own message: 'enviada' | 'entregue' | 'lida'. */
function status(pagina, texto) {
  return item(pagina, texto).locator('.papo-status').getAttribute('data-status');
}

// Headless Chromium is always "visible": the page is told otherwise, and
// Notification records what would be shown (before any script of the page).
async function abaOcultaComNotificacoes(pagina) {
  await pagina.context().addInitScript(() => {
    window.__papoNotificacoes = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      constructor(titulo, opcoes) { window.__papoNotificacoes.push({ titulo, corpo: opcoes.body }); }
      close() {}
    };
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  });
}

function mostrarAba(pagina) {
  return pagina.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

export function registrar(executor, pilha) {
  executor.teste('conversas: edição, exclusão e reação feitas sem o pusher chegam ao reconectar', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await enviar(ana, 'Texto original');
    await enviar(ana, 'Vou apagar esta');
    await esperarUmaVez(bruno, 'Vou apagar esta');

    await pilha.pararPusher();
    await esperar(async () => (await bruno.locator('#papo-conexao').getAttribute('data-estado')) === 'desconectado',
      { limiteMs: 15000, mensagem: 'Bruno desconectado' });
    // papo-app is up: Ana's changes are stored; Bruno's stream missed them.
    await acao(ana, item(ana, 'Texto original'), 'Editar mensagem');
    await ana.getByRole('textbox', { name: 'Editar mensagem' }).fill('Texto corrigido');
    await ana.getByRole('textbox', { name: 'Editar mensagem' }).press('Enter');
    await esperarUmaVez(ana, 'Texto corrigido');
    await acao(ana, item(ana, 'Vou apagar esta'), 'Excluir mensagem');
    await ana.getByRole('dialog').getByRole('button', { name: 'Excluir' }).click();
    await ana.locator('li.papo-msg-excluida').waitFor({ timeout: 3000 });
    await acao(ana, item(ana, 'Texto corrigido'), 'Reagir à mensagem');
    await ana.getByRole('button', { name: 'Reagir com 👀' }).click();
    await item(ana, 'Texto corrigido').locator('.papo-reacao[data-emoji="👀"]').waitFor({ timeout: 3000 });

    await pilha.iniciarPusher();
    await esperarConectado(bruno, 45000);
    await esperarUmaVez(bruno, 'Texto corrigido', 5000);
    await item(bruno, 'Texto corrigido').locator('.papo-editada').waitFor({ timeout: 3000 });
    await esperar(async () => (await bruno.locator('li.papo-msg-excluida').count()) === 1, { limiteMs: 3000, mensagem: 'lápide no Bruno' });
    iguais(await item(bruno, 'Vou apagar esta').count(), 0, 'o texto apagado sumiu');
    await esperar(async () => (await item(bruno, 'Texto corrigido').locator('.papo-reacao[data-emoji="👀"]').getAttribute('aria-label')) === '1 reação 👀',
      { limiteMs: 3000, mensagem: 'a reação no Bruno' });
  }, { limiteMs: 150000 });

  executor.teste('conversas: editar no lugar aparece ao vivo para a outra pessoa; ↑ e Esc', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    await enviar(ana, 'Reunião às 15h');
    await esperarUmaVez(bruno, 'Reunião às 15h');

    await acao(ana, item(ana, 'Reunião às 15h'), 'Editar mensagem');
    const editor = ana.getByRole('textbox', { name: 'Editar mensagem' });
    iguais(await editor.inputValue(), 'Reunião às 15h', 'o editor traz o texto');
    await editor.fill('Reunião às 16h, sala 2');
    await editor.press('Enter');
    await esperarUmaVez(bruno, 'Reunião às 16h, sala 2', 3000);
    iguais(await item(bruno, 'Reunião às 15h').count(), 0, 'o texto antigo sumiu para o Bruno');
    const marca = item(bruno, 'Reunião às 16h, sala 2').locator('.papo-editada');
    iguais(await marca.textContent(), '(editada)', 'marca "(editada)" para o Bruno');
    afirmar((await marca.getAttribute('title')).startsWith('Editada em '), 'a hora da edição no título');
    await item(ana, 'Reunião às 16h, sala 2').locator('.papo-editada').waitFor();

    // Up arrow in the empty box edits the last own message; Esc cancels.
    await enviar(ana, 'Levo o projetor');
    await esperarUmaVez(bruno, 'Levo o projetor');
    await ana.locator('#papo-texto').press('ArrowUp');
    const editor2 = ana.getByRole('textbox', { name: 'Editar mensagem' });
    iguais(await editor2.inputValue(), 'Levo o projetor', '↑ abre a última mensagem própria');
    await editor2.fill('mudança que não vai');
    await editor2.press('Escape');
    iguais(await editor2.count(), 0, 'Esc fecha o editor');
    iguais(await ana.evaluate(() => document.activeElement?.id), 'papo-texto', 'o foco volta à caixa de mensagem');
    await esperarUmaVez(ana, 'Levo o projetor');
    await ana.locator('#papo-texto').press('ArrowUp');
    await ana.getByRole('textbox', { name: 'Editar mensagem' }).fill('Levo o projetor e o cabo HDMI');
    await t.capturar(ana, 'conversa-editando-desktop');
    await ana.getByRole('textbox', { name: 'Editar mensagem' }).press('Enter');
    await esperarUmaVez(bruno, 'Levo o projetor e o cabo HDMI', 3000);
    await t.capturar(bruno, 'conversa-editada-desktop');

    // Reloaded: the current text, still marked.
    await abrirSala(bruno, id);
    await esperarUmaVez(bruno, 'Reunião às 16h, sala 2');
    await item(bruno, 'Reunião às 16h, sala 2').locator('.papo-editada').waitFor({ timeout: 3000 });
  });

  executor.teste('conversas: excluir pede confirmação e deixa "Mensagem excluída" para as duas pessoas', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    await enviar(ana, 'Mandei para o grupo errado');
    await enviar(ana, 'Esta fica');
    await esperarUmaVez(bruno, 'Esta fica');
    await enviar(bruno, 'Spam do Bruno');
    await esperarUmaVez(ana, 'Spam do Bruno');
    // Only the author may edit; the room's owner (Ana created it) may also delete.
    await item(bruno, 'Esta fica').locator('.papo-bolha').hover();
    iguais(await item(bruno, 'Esta fica').getByRole('button').allTextContents(), ['Reagir'], 'Bruno só reage à mensagem da Ana');
    await item(ana, 'Spam do Bruno').locator('.papo-bolha').hover();
    iguais(await item(ana, 'Spam do Bruno').getByRole('button').allTextContents(), ['Reagir', 'Excluir'], 'a dona pode excluir');

    await acao(ana, item(ana, 'Mandei para o grupo errado'), 'Excluir mensagem');
    const dialogo = ana.getByRole('dialog', { name: 'Excluir esta mensagem?' });
    await dialogo.waitFor();
    await t.capturar(ana, 'conversa-excluir-confirmacao-desktop');
    await dialogo.getByRole('button', { name: 'Cancelar' }).click();
    await dialogo.waitFor({ state: 'hidden' });
    await esperarUmaVez(ana, 'Mandei para o grupo errado');

    await acao(ana, item(ana, 'Mandei para o grupo errado'), 'Excluir mensagem');
    await dialogo.getByRole('button', { name: 'Excluir' }).click();
    await acao(ana, item(ana, 'Spam do Bruno'), 'Excluir mensagem');
    await dialogo.getByRole('button', { name: 'Excluir' }).click();
    for (const pagina of [ana, bruno]) {
      await esperar(async () => (await pagina.locator('.papo-excluida').allTextContents()).join() === 'Mensagem excluída,Mensagem excluída',
        { limiteMs: 3000, mensagem: `lápide para ${pagina.rotulo}` });
      iguais(await item(pagina, 'Mandei para o grupo errado').count(), 0, `o texto sumiu para ${pagina.rotulo}`);
      const lapide = pagina.locator('li.papo-msg-excluida');
      iguais(await lapide.locator('button').count(), 0, `sem ações na lápide (${pagina.rotulo})`);
      iguais(await lapide.locator('em').count(), 2, 'em itálico');
      await esperarUmaVez(pagina, 'Esta fica');
    }
    await t.capturar(bruno, 'conversa-excluida-desktop');
    await abrirSala(bruno, id);
    await esperar(async () => (await bruno.locator('li.papo-msg-excluida .papo-excluida').count()) === 2,
      { limiteMs: 3000, mensagem: 'lápide após recarregar' });
  });

  executor.teste('conversas: reação pela paleta e pelo chip, a contagem sobe para as duas pessoas', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await enviar(ana, 'Consegui o contrato!');
    await esperarUmaVez(bruno, 'Consegui o contrato!');

    await acao(bruno, item(bruno, 'Consegui o contrato!'), 'Reagir à mensagem');
    await bruno.getByRole('button', { name: 'Reagir com 🎉' }).click();
    const chipBruno = item(bruno, 'Consegui o contrato!').locator('.papo-reacao[data-emoji="🎉"]');
    const chipAna = item(ana, 'Consegui o contrato!').locator('.papo-reacao[data-emoji="🎉"]');
    await esperar(async () => (await chipBruno.getAttribute('aria-label')) === '1 reação 🎉, inclusive a sua',
      { limiteMs: 3000, mensagem: 'chip do Bruno' });
    iguais(await chipBruno.getAttribute('aria-pressed'), 'true', 'pressionado para quem reagiu');
    await esperar(async () => (await chipAna.getAttribute('aria-label')) === '1 reação 🎉', { limiteMs: 3000, mensagem: 'chip da Ana' });
    iguais(await chipAna.getAttribute('aria-pressed'), 'false', 'não pressionado para a Ana');

    // Ana joins with a click on the chip: 2 for both.
    await chipAna.click();
    await esperar(async () => (await chipAna.getAttribute('aria-label')) === '2 reações 🎉, inclusive a sua',
      { limiteMs: 3000, mensagem: '2 na Ana' });
    await esperar(async () => (await chipBruno.getAttribute('aria-label')) === '2 reações 🎉, inclusive a sua',
      { limiteMs: 3000, mensagem: '2 no Bruno, ainda com a dele' });
    iguais(await chipBruno.locator('.papo-reacao-total').textContent(), '2', 'o número no chip');

    // By keyboard: the message area, ↑ to the message, Tab to "Reagir", Enter, → to ❤️, Enter.
    await bruno.locator('#papo-mensagens').focus();
    await bruno.keyboard.press('ArrowUp');
    let foco = '';
    for (let i = 0; i < 6 && foco !== 'Reagir à mensagem'; i++) {
      await bruno.keyboard.press('Tab');
      foco = await bruno.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    }
    iguais(foco, 'Reagir à mensagem', '"Reagir" pelo Tab');
    await bruno.keyboard.press('Enter');
    await bruno.keyboard.press('ArrowRight');
    iguais(await bruno.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Reagir com ❤️', 'seta na paleta');
    await bruno.keyboard.press('Enter');
    const coracaoAna = item(ana, 'Consegui o contrato!').locator('.papo-reacao[data-emoji="❤️"]');
    await esperar(async () => (await coracaoAna.getAttribute('aria-label')) === '1 reação ❤️', { limiteMs: 3000, mensagem: '❤️ na Ana' });

    // Any emoji through the field; Bruno takes his 🎉 back.
    await acao(ana, item(ana, 'Consegui o contrato!'), 'Reagir à mensagem');
    // Not an emoji: the server's pt-BR error as a toast, the palette stays open.
    await ana.getByLabel('Outro emoji').fill('abc');
    await ana.getByLabel('Outro emoji').press('Enter');
    const aviso = ana.locator('#papo-toasts [role="alert"]');
    await aviso.waitFor({ timeout: 3000 });
    afirmar((await aviso.textContent()).trim().length > 5, 'aviso com o texto do servidor');
    iguais(await item(ana, 'Consegui o contrato!').locator('.papo-reacao').count(), 2, 'nenhuma reação nova');
    await ana.getByLabel('Outro emoji').fill('🚀');
    await ana.getByLabel('Outro emoji').press('Enter');
    await esperar(async () => (await item(bruno, 'Consegui o contrato!').locator('.papo-reacao[data-emoji="🚀"]').count()) === 1,
      { limiteMs: 3000, mensagem: '🚀 no Bruno' });
    await chipBruno.click();
    await esperar(async () => (await chipAna.getAttribute('aria-label')) === '1 reação 🎉, inclusive a sua',
      { limiteMs: 3000, mensagem: 'de volta a 1 na Ana' });
    await t.capturar(ana, 'conversa-reacoes-desktop');

    const celular = await t.novaPagina({ rotulo: 'ana-celular', largura: 375, altura: 740 });
    await celular.context().addCookies(await ana.context().cookies());
    await celular.goto(ana.url());
    await esperarConectado(celular);
    await esperar(async () => (await item(celular, 'Consegui o contrato!').locator('.papo-reacao').count()) === 3,
      { limiteMs: 3000, mensagem: 'três chips no celular' });
    // A tap on the bubble shows its actions (no hover on a phone).
    await item(celular, 'Consegui o contrato!').locator('.papo-bolha').click();
    await item(celular, 'Consegui o contrato!').getByRole('button', { name: 'Reagir à mensagem' }).click();
    await t.capturar(celular, 'conversa-reacoes-375px');
    const larguras = await celular.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    afirmar(larguras[0] <= larguras[1], `sem rolagem lateral a 375 px (${larguras[0]} > ${larguras[1]})`);
  });

  executor.teste('conversas: @menção completa o nome, destaca, marca a lista e notifica a aba oculta', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    await enviar(bruno, 'Estou por aqui');
    await esperarUmaVez(ana, 'Estou por aqui');
    await abaOcultaComNotificacoes(bruno);
    await bruno.goto('/chat/listar-salas');
    await esperarConectado(bruno);
    const selo = bruno.locator(`[data-sala-id="${id}"] .papo-mencoes`);
    iguais(await selo.isVisible(), false, 'sem selo antes da menção');

    const caixa = ana.locator('#papo-texto');
    await caixa.pressSequentially('Oi @Br', { delay: 20 });
    const opcao = ana.getByRole('option', { name: '@Bruno' });
    await opcao.waitFor({ timeout: 3000 });
    iguais(await caixa.getAttribute('aria-expanded'), 'true', 'combobox aberto');
    iguais(await opcao.getAttribute('aria-selected'), 'true', 'a primeira opção ativa');
    await t.capturar(ana, 'conversa-mencao-completar-desktop');
    await caixa.press('Enter');
    iguais(await caixa.inputValue(), 'Oi @Bruno ', 'Enter escolhe e não envia');
    iguais(await caixa.getAttribute('aria-expanded'), 'false', 'lista fechada');
    await caixa.pressSequentially('pode revisar o orçamento?', { delay: 5 });
    await caixa.press('Enter');
    await esperarUmaVez(ana, 'Oi @Bruno pode revisar o orçamento?');

    await esperar(async () => (await selo.isVisible()) && (await selo.textContent()) === '@1',
      { limiteMs: 3000, mensagem: 'selo "@1" na lista do Bruno' });
    iguais(await selo.getAttribute('aria-label'), '1 menção a você', 'rótulo do selo');
    const notificacoes = await bruno.evaluate(() => window.__papoNotificacoes);
    iguais(notificacoes.length, 1, 'uma notificação da menção');
    afirmar(notificacoes[0].titulo.startsWith('Ana mencionou você'), `título: ${notificacoes[0].titulo}`);
    iguais(notificacoes[0].corpo, 'Oi @Bruno pode revisar o orçamento?', 'corpo da notificação');
    await mostrarAba(bruno);
    await t.capturar(bruno, 'conversa-mencao-lista-desktop');

    await abrirSala(bruno, id);
    const destaque = item(bruno, 'Oi @Bruno pode revisar o orçamento?').locator('mark.papo-mencao');
    await destaque.waitFor({ timeout: 3000 });
    iguais(await destaque.textContent(), '@Bruno', 'a menção ao leitor destacada');
    iguais(await item(ana, 'Oi @Bruno pode revisar o orçamento?').locator('mark').count(), 0, 'sem destaque para quem não foi mencionado');
    await t.capturar(bruno, 'conversa-mencao-sala-desktop');
  });

  executor.teste('conversas: tiques enviada → entregue → lida nas próprias mensagens', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    await bruno.goto('/chat/listar-salas');
    await esperarConectado(bruno);

    // Nobody else has the room open: stored, not delivered.
    await enviar(ana, 'Primeira, ninguém na sala');
    await esperarUmaVez(ana, 'Primeira, ninguém na sala');
    iguais(await status(ana, 'Primeira, ninguém na sala'), 'enviada', 'um tique');
    iguais(await item(ana, 'Primeira, ninguém na sala').locator('.papo-status .visually-hidden').textContent(), 'enviada', 'rótulo');
    iguais(await item(ana, 'Primeira, ninguém na sala').locator('.papo-ticks').textContent(), '✓', 'um tique visível');
    await t.capturar(ana, 'conversa-tiques-enviada-desktop');

    // Bruno's tab has the room open but hidden: delivered, not read.
    const brunoOculto = await t.novaPagina({ rotulo: 'bruno-oculto' });
    await brunoOculto.context().addCookies(await bruno.context().cookies());
    await abaOcultaComNotificacoes(brunoOculto);
    await abrirSala(brunoOculto, id);
    await enviar(ana, 'Segunda, com o Bruno conectado');
    await esperarUmaVez(brunoOculto, 'Segunda, com o Bruno conectado');
    await esperar(async () => (await status(ana, 'Segunda, com o Bruno conectado')) === 'entregue',
      { limiteMs: 3000, mensagem: 'dois tiques (entregue)' });
    iguais(await item(ana, 'Segunda, com o Bruno conectado').locator('.papo-ticks').textContent(), '✓✓', 'dois tiques visíveis');
    iguais(await status(ana, 'Primeira, ninguém na sala'), 'enviada', 'a primeira continua com um tique');
    await t.capturar(ana, 'conversa-tiques-entregue-desktop');

    // The tab becomes visible: Bruno reads, both turn `lida`, live.
    await mostrarAba(brunoOculto);
    for (const texto of ['Primeira, ninguém na sala', 'Segunda, com o Bruno conectado']) {
      await esperar(async () => (await status(ana, texto)) === 'lida', { limiteMs: 3000, mensagem: `"${texto}" lida` });
    }
    await t.capturar(ana, 'conversa-tiques-lida-desktop');
    // Reloaded: the status comes from the server, never lower.
    await abrirSala(ana, id);
    await esperar(async () => (await status(ana, 'Segunda, com o Bruno conectado')) === 'lida',
      { limiteMs: 3000, mensagem: 'lida após recarregar' });
    const celular = await t.novaPagina({ rotulo: 'ana-celular', largura: 375, altura: 740 });
    await celular.context().addCookies(await ana.context().cookies());
    await celular.goto(`/chat/sala/${id}`);
    await esperarConectado(celular);
    await esperar(async () => (await status(celular, 'Segunda, com o Bruno conectado')) === 'lida',
      { limiteMs: 3000, mensagem: 'lida no celular' });
    await t.capturar(celular, 'conversa-tiques-375px');
  });
}
