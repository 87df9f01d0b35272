// The room list, live over the list stream.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { abrirSala, cadastrar, criarSala, enviar, esperarConectado, pessoa } from '../lib/usuarios.mjs';

export function registrar(executor) {
  executor.teste('lista: sala nova aparece ao vivo; badge de não lidas sobe ao vivo e some ao abrir a sala', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const bruno = await t.novaPagina({ rotulo: 'bruno' });
    await cadastrar(ana, pessoa('Ana'));
    await cadastrar(bruno, pessoa('Bruno'));
    await esperarConectado(bruno);

    const nome = `Novidades ${Date.now().toString(36)}`;
    const id = await criarSala(ana, nome, { descricao: 'Criada enquanto o Bruno olha a lista' });
    const cartao = bruno.locator(`[data-sala-id="${id}"]`);
    await cartao.waitFor({ timeout: 3000 });
    iguais(await cartao.locator('.papo-sala-nome').textContent(), nome, 'nome da sala nova');

    const badge = cartao.locator('.papo-nao-lidas');
    afirmar(!(await badge.isVisible()), 'sem badge antes de mensagens');
    await enviar(ana, 'primeira para o Bruno');
    await esperar(async () => (await badge.isVisible()) && (await badge.textContent()) === '1', { limiteMs: 3000, mensagem: 'badge 1' });
    iguais(await badge.getAttribute('aria-label'), '1 mensagem não lida', 'rótulo acessível');
    await enviar(ana, 'segunda para o Bruno');
    await esperar(async () => (await badge.textContent()) === '2', { limiteMs: 3000, mensagem: 'badge 2' });
    iguais(await cartao.locator('.papo-atividade').textContent(), 'agora', 'última atividade');
    // Ana's own messages never count for Ana.
    await ana.goto('/chat/listar-salas');
    afirmar(!(await ana.locator(`[data-sala-id="${id}"] .papo-nao-lidas`).isVisible()), 'sem badge para quem enviou');
    await t.capturar(bruno, 'lista-de-salas-com-nao-lidas');

    // The page marks what its reader sees (POST /chat/lida): opening it by
    // GET marks nothing (issue 14, item 8).
    await Promise.all([
      bruno.waitForURL(`**/chat/sala/${id}`),
      bruno.waitForResponse((r) => r.url().endsWith('/chat/lida') && r.status() === 200),
      cartao.locator('a').click(),
    ]);
    await bruno.getByText('segunda para o Bruno').waitFor();
    await bruno.goBack();
    await bruno.waitForURL('**/chat/listar-salas');
    await esperar(async () => !(await bruno.locator(`[data-sala-id="${id}"] .papo-nao-lidas`).isVisible()),
      { limiteMs: 3000, mensagem: 'badge some após abrir a sala' });

    // And rises again live after coming back.
    await esperarConectado(bruno);
    await abrirSala(ana, id);
    await enviar(ana, 'terceira');
    await esperar(async () => (await bruno.locator(`[data-sala-id="${id}"] .papo-nao-lidas`).textContent()) === '1',
      { limiteMs: 3000, mensagem: 'badge 1 de novo' });
  });

  executor.teste('lista: sala privada aparece ao vivo só para quem foi convidado', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const bruno = await t.novaPagina({ rotulo: 'bruno' });
    const carla = await t.novaPagina({ rotulo: 'carla' });
    const pessoaBruno = pessoa('Bruno');
    await cadastrar(ana, pessoa('Ana'));
    await cadastrar(bruno, pessoaBruno);
    await cadastrar(carla, pessoa('Carla'));
    await esperarConectado(bruno);
    await esperarConectado(carla);

    const nome = `Segredo ${Date.now().toString(36)}`;
    const id = await criarSala(ana, nome, { privada: true, membros: pessoaBruno.email });
    await bruno.locator(`[data-sala-id="${id}"]`).waitFor({ timeout: 3000 });
    // Carla got no event for it: a room created after this one shows up
    // for her, the private one does not.
    const publica = await criarSala(ana, `Aberta ${Date.now().toString(36)}`);
    await carla.locator(`[data-sala-id="${publica}"]`).waitFor({ timeout: 3000 });
    iguais(await carla.locator(`[data-sala-id="${id}"]`).count(), 0, 'Carla não vê a sala privada');
  });

  executor.teste('lista: em páginas de 50 por atividade; sala nova vira link numa página seguinte e cartão no topo da primeira', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const bruno = await t.novaPagina({ rotulo: 'bruno' });
    await cadastrar(ana, pessoa('Ana'));
    await cadastrar(bruno, pessoa('Bruno'));
    // Enough rooms for a second page. Posted as the form does.
    const marca = Date.now().toString(36);
    await ana.evaluate(async ({ marca, total }) => {
      const csrf = document.querySelector('input[name="csrf_token"]').value;
      for (let i = 0; i < total; i++) {
        const corpo = new URLSearchParams({ csrf_token: csrf, nome: `zz pagina ${String(i).padStart(2, '0')} ${marca}` });
        const resposta = await fetch('/chat/salas', { method: 'POST', body: corpo, redirect: 'manual' });
        if (resposta.type !== 'opaqueredirect') throw new Error(`sala ${i}: ${resposta.status}`);
      }
    }, { marca, total: 55 });

    // Bruno walks to the last page through the links.
    await bruno.goto('/chat/listar-salas');
    iguais(await bruno.locator('#papo-salas [data-sala-id]').count(), 50, 'página 1 com 50 salas');
    let numero = 1;
    while (await bruno.locator('a[rel="next"]').count()) {
      numero += 1;
      await Promise.all([bruno.waitForURL(`**/chat/listar-salas?pagina=${numero}`), bruno.locator('a[rel="next"]').click()]);
    }
    afirmar(numero >= 2, 'há uma segunda página');
    iguais(await bruno.locator('.pagination [aria-current="page"]').textContent(), `Página ${numero}`, 'página atual');
    await esperarConectado(bruno);

    // The list is by activity (issue 17): a new room is the newest, so on
    // a later page it is linked above the list, without a card.
    const antes = await criarSala(ana, `aa antes ${marca}`);
    const aviso = bruno.locator(`#papo-outras-salas [data-sala-id="${antes}"] a`);
    await aviso.waitFor({ timeout: 3000 });
    iguais(await aviso.textContent(), `aa antes ${marca}`, 'link para a sala de outra página');
    iguais(await bruno.locator(`#papo-salas [data-sala-id="${antes}"]`).count(), 0, 'sem cartão nesta página');
    // On the first page it is a card, at the top.
    await bruno.goto('/chat/listar-salas');
    await esperarConectado(bruno);
    const depois = await criarSala(ana, `zzz depois ${marca}`);
    await bruno.locator(`#papo-salas [data-sala-id="${depois}"]`).waitFor({ timeout: 3000 });
    iguais(await bruno.locator('#papo-salas [data-sala-id]').first().getAttribute('data-sala-id'), String(depois),
      'a sala nova no topo');
    await t.capturar(bruno, 'lista-de-salas-segunda-pagina');
  });
}
