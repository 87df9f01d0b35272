// Direct messages and the room list (DESIGN §9): "Nova conversa" finds a
// person by a piece of a word of their name without accents, opens the
// pair's room, both chat, and the room appears live in the other person's
// list under "Conversas diretas", named after the one who started it; the
// filter box hides the cards that do not match as one types.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { cadastrar, enviar, esperarConectado, esperarUmaVez, pessoa } from '../lib/usuarios.mjs';

export function registrar(executor) {
  executor.teste('diretas: Nova conversa abre a conversa, os dois conversam e ela aparece ao vivo na lista do outro', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const joao = await t.novaPagina({ rotulo: 'joao' });
    const quemAna = pessoa('Ana');
    // A name with an accent and a word of its own, found typed without it.
    const marca = Date.now().toString(36);
    const quemJoao = { ...pessoa('Joao'), nome: `João Ñandu${marca}` };
    await cadastrar(ana, quemAna);
    await cadastrar(joao, quemJoao);
    await esperarConectado(joao);

    // Ana finds João by a later word, typed without accents, and picks him.
    const campo = ana.getByRole('combobox', { name: 'Nome ou e-mail da pessoa' });
    await campo.fill(`nandu${marca}`);
    const opcao = ana.locator('#papo-pessoas [role="option"]', { hasText: quemJoao.nome });
    await opcao.waitFor({ timeout: 3000 });
    iguais(await campo.getAttribute('aria-expanded'), 'true', 'lista aberta');
    afirmar(!(await ana.locator('#papo-pessoas').textContent()).includes('@'), 'nenhum e-mail na lista');
    await t.capturar(ana, 'diretas-nova-conversa-desktop');
    await Promise.all([ana.waitForURL('**/chat/sala/*'), campo.press('Enter')]);
    await esperarConectado(ana);
    const id = Number(new URL(ana.url()).pathname.split('/').pop());
    iguais(await ana.title(), `${quemJoao.nome} · papo`, 'a sala tem o nome do João para a Ana');

    // João's list gets the room live, named after Ana, under Conversas diretas.
    const cartao = joao.locator(`#papo-diretas [data-sala-id="${id}"]`);
    await cartao.waitFor({ timeout: 3000 });
    iguais(await cartao.locator('.papo-sala-nome').textContent(), quemAna.nome, 'nome da Ana no cartão');
    await enviar(ana, `Oi, João! ${marca}`);
    await esperar(async () => (await cartao.locator('.papo-nao-lidas').textContent()) === '1',
      { limiteMs: 3000, mensagem: 'uma não lida na conversa direta' });
    await t.capturar(joao, 'diretas-lista-desktop');

    // Both chat.
    await Promise.all([joao.waitForURL(`**/chat/sala/${id}`), cartao.locator('a').click()]);
    await esperarConectado(joao);
    iguais(await joao.title(), `${quemAna.nome} · papo`, 'a sala tem o nome da Ana para o João');
    await esperarUmaVez(joao, `Oi, João! ${marca}`);
    await enviar(joao, 'Oi, Ana! Tudo bem?');
    await esperarUmaVez(ana, 'Oi, Ana! Tudo bem?', 2000);

    // The list at 375 px, and its filter: typing hides the other cards.
    const celular = await t.novaPagina({ rotulo: 'ana-celular', largura: 375, altura: 800 });
    await celular.context().addCookies(await ana.context().cookies());
    await celular.goto('/chat/listar-salas');
    const direta = celular.locator(`#papo-diretas [data-sala-id="${id}"]`);
    await direta.waitFor({ timeout: 3000 });
    await celular.locator('#papo-filtro').fill('nandu');
    afirmar(await direta.isVisible(), 'a conversa com o João continua à vista');
    afirmar(!(await celular.locator('#papo-salas [data-sala-id]').first().isVisible()), 'as salas somem');
    await t.capturar(celular, 'diretas-lista-375px');
  });

  executor.teste('diretas: uma mensagem nova leva a sala ao topo da lista', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const bruno = await t.novaPagina({ rotulo: 'bruno' });
    await cadastrar(ana, pessoa('Ana'));
    await cadastrar(bruno, pessoa('Bruno'));
    await esperarConectado(bruno);
    const primeira = await bruno.locator('#papo-salas [data-sala-id]').first().getAttribute('data-sala-id');
    const ultima = await bruno.locator('#papo-salas [data-sala-id]').last().getAttribute('data-sala-id');
    afirmar(primeira !== ultima, 'ao menos duas salas');
    // Ana writes in the room at the bottom of Bruno's list.
    await ana.goto(`/chat/sala/${ultima}`);
    await esperarConectado(ana);
    await enviar(ana, 'Novidade aqui');
    await esperar(async () => (await bruno.locator('#papo-salas [data-sala-id]').first().getAttribute('data-sala-id')) === ultima,
      { limiteMs: 3000, mensagem: 'a sala com a mensagem nova no topo' });
  });
}
