// Room owners, archiving, leaving and removal (DESIGN §9), two people in
// two browser contexts: the owner renames a private room and the other
// member's list shows the new name live; archiving shows the banner and
// hides the message box live; the member leaves (after a confirmation) and
// the room disappears from their list live; a removed member's open room
// page says so and stops reconnecting. Desktop and 375 px screenshots.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { abrirSala, cadastrar, criarSala, esperarConectado, pessoa } from '../lib/usuarios.mjs';

let salas = 0;
function nomeDeSala(base) {
  salas += 1;
  return `${base} ${Date.now().toString(36)}${salas}`;
}

/** The room list's card of room `id` (none when it is not on the page). */
function cartao(pagina, id) {
  return pagina.locator(`#papo-salas [data-sala-id="${id}"]`);
}

/** Ana (owner) and Bruno in a private room of Ana's; Bruno on his room list. */
async function salaPrivadaDaAna(t, { largura, altura } = {}) {
  const ana = await t.novaPagina({ rotulo: 'ana', largura, altura });
  const bruno = await t.novaPagina({ rotulo: 'bruno', largura, altura });
  const quemBruno = pessoa('Bruno');
  await cadastrar(ana, pessoa('Ana'));
  await cadastrar(bruno, quemBruno);
  const id = await criarSala(ana, nomeDeSala('Projeto'), { descricao: 'Planejamento', privada: true, membros: quemBruno.email });
  await bruno.goto('/chat/listar-salas');
  await esperarConectado(bruno);
  await cartao(bruno, id).waitFor({ timeout: 3000 });
  return { ana, bruno, id };
}

/** Bruno's room page in a second tab of his browser (same session). */
async function outraAba(pagina, id) {
  const aba = await pagina.context().newPage();
  aba.rotulo = `${pagina.rotulo}-sala`;
  await abrirSala(aba, id);
  return aba;
}

export function registrar(executor) {
  executor.teste('dono: renomear aparece ao vivo na lista do membro; arquivar deixa a sala só de leitura', async (t) => {
    const { ana, bruno, id } = await salaPrivadaDaAna(t);
    const brunoSala = await outraAba(bruno, id);
    // Only the owner sees the settings; the member sees the members and "Sair da sala".
    iguais(await brunoSala.locator('#papo-config').count(), 0, 'sem configurações para o membro');
    await brunoSala.getByText('Membros (2)').click();
    await brunoSala.getByRole('button', { name: 'Sair da sala' }).waitFor();
    iguais(await brunoSala.getByRole('button', { name: /^Remover/ }).count(), 0, 'o membro não remove ninguém');

    await ana.getByText('Configurações da sala').click();
    const novoNome = nomeDeSala('Lançamento');
    await ana.getByLabel('Nome', { exact: true }).fill(novoNome);
    await ana.getByLabel('Descrição').fill('Datas e tarefas do lançamento');
    await t.capturar(ana, 'dono-configuracoes-desktop');
    await Promise.all([ana.waitForURL(`**/chat/sala/${id}`), ana.getByRole('button', { name: 'Salvar' }).click()]);
    await esperarConectado(ana);
    iguais(await ana.locator('#papo-sala-nome').textContent(), novoNome, 'o novo nome na página da dona');

    // Live: Bruno's list card and his open room page.
    await esperar(async () => (await cartao(bruno, id).locator('.papo-sala-nome').textContent()) === novoNome,
      { limiteMs: 3000, mensagem: 'o novo nome na lista do Bruno' });
    await esperar(async () => (await brunoSala.locator('#papo-sala-nome').textContent()) === novoNome,
      { limiteMs: 3000, mensagem: 'o novo nome na sala aberta do Bruno' });
    iguais(await brunoSala.locator('#papo-sala-descricao').textContent(), 'Datas e tarefas do lançamento', 'a nova descrição');
    afirmar((await brunoSala.title()).startsWith(novoNome), 'o título da aba segue o nome');
    await t.capturar(bruno, 'dono-lista-renomeada-desktop');

    // Archive: read-only for everyone, live; then back.
    await ana.getByText('Configurações da sala').click();
    await Promise.all([ana.waitForURL(`**/chat/sala/${id}`), ana.getByRole('button', { name: 'Arquivar' }).click()]);
    await ana.getByText('Sala arquivada — somente leitura').waitFor({ timeout: 3000 });
    afirmar(await ana.locator('#papo-form').isHidden(), 'sem caixa de mensagem para a dona');
    await brunoSala.getByText('Sala arquivada — somente leitura').waitFor({ timeout: 3000 });
    await esperar(() => brunoSala.locator('#papo-form').isHidden(), { limiteMs: 3000, mensagem: 'a caixa some para o Bruno' });
    await t.capturar(brunoSala, 'dono-sala-arquivada-desktop');
    await ana.getByText('Configurações da sala').click();
    await Promise.all([ana.waitForURL(`**/chat/sala/${id}`), ana.getByRole('button', { name: 'Desarquivar' }).click()]);
    await esperar(() => brunoSala.locator('#papo-form').isVisible(), { limiteMs: 3000, mensagem: 'a caixa volta para o Bruno' });
    afirmar(await brunoSala.locator('#papo-arquivada').isHidden(), 'o aviso de arquivada some');
  }, { limiteMs: 120000 });

  executor.teste('dono: o membro sai da sala (com confirmação) e ela some da lista dele ao vivo', async (t) => {
    const { bruno, id } = await salaPrivadaDaAna(t);
    const brunoSala = await outraAba(bruno, id);
    await brunoSala.getByText('Membros (2)').click();
    await brunoSala.getByRole('button', { name: 'Sair da sala' }).click();
    const dialogo = brunoSala.getByRole('dialog', { name: 'Sair desta sala?' });
    await dialogo.waitFor();
    await t.capturar(brunoSala, 'dono-sair-confirmacao-desktop');
    // Cancel first: nothing happens.
    await dialogo.getByRole('button', { name: 'Cancelar' }).click();
    afirmar(brunoSala.url().endsWith(`/chat/sala/${id}`), 'cancelar fica na sala');
    await brunoSala.getByRole('button', { name: 'Sair da sala' }).click();
    await Promise.all([brunoSala.waitForURL('**/chat/listar-salas'),
      dialogo.getByRole('button', { name: 'Sair da sala' }).click()]);
    iguais(await cartao(brunoSala, id).count(), 0, 'a sala não está na lista nova');
    // The list that was already open drops the room live.
    await esperar(async () => (await cartao(bruno, id).count()) === 0, { limiteMs: 3000, mensagem: 'a sala sumir da lista aberta' });
    await t.capturar(bruno, 'dono-lista-depois-de-sair-desktop');
  }, { limiteMs: 90000 });

  executor.teste('dono: em 375 px, a dona remove o membro e a sala aberta dele avisa e para', async (t) => {
    const { ana, bruno, id } = await salaPrivadaDaAna(t, { largura: 375, altura: 740 });
    await abrirSala(bruno, id);
    await ana.getByText('Membros (2)').click();
    await ana.getByText('Configurações da sala').click();
    await t.capturar(ana, 'dono-configuracoes-375px', { fullPage: true });
    const largura = await ana.evaluate(() => document.documentElement.scrollWidth);
    afirmar(largura <= 375, `a página cabe em 375 px (largura ${largura})`);
    await Promise.all([ana.waitForURL(`**/chat/sala/${id}`),
      ana.getByRole('button', { name: /^Remover Bruno/ }).click()]);
    const aviso = bruno.getByRole('alert').filter({ hasText: 'Você não participa mais desta sala.' });
    await aviso.waitFor({ timeout: 3000 });
    await aviso.getByRole('link', { name: 'Voltar para as salas' }).waitFor();
    afirmar(await bruno.locator('#papo-form').isHidden(), 'sem caixa de mensagem depois de removido');
    await t.capturar(bruno, 'dono-removido-375px');
    await esperar(async () => (await bruno.locator('#papo-conexao').getAttribute('data-estado')) === 'desconectado',
      { limiteMs: 3000, mensagem: 'o indicador diz desconectado' });
    // It does not come back: no new stream, and what Ana writes next never arrives.
    let novosFluxos = 0;
    bruno.on('request', (pedido) => { if (pedido.url().includes('/chat/stream')) novosFluxos += 1; });
    await ana.locator('#papo-texto').fill('Só para quem ficou');
    await ana.locator('#papo-texto').press('Enter');
    await esperar(async () => (await ana.locator('#papo-lista-mensagens .papo-texto').allTextContents()).includes('Só para quem ficou'),
      { limiteMs: 3000, mensagem: 'a mensagem da Ana' });
    iguais(await bruno.locator('#papo-lista-mensagens .papo-texto').allTextContents(), [], 'nada novo chega ao Bruno');
    iguais(novosFluxos, 0, 'nenhuma reconexão');
    afirmar(await aviso.isVisible(), 'o aviso continua');
  }, { limiteMs: 90000 });
}
