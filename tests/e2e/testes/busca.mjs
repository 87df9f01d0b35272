// Message search (DESIGN §9, GET /chat/buscar): a word typed without accents
// finds the accented one, the result shows it marked, and its link opens the
// room at that message (scrolled into view, highlighted, with the notice of
// older messages), also at 375 px.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { cadastrar, criarSala, enviar, esperarConectado, pessoa } from '../lib/usuarios.mjs';

const ALVO = 'A reunião de orçamento começa às 15h';
const TOTAL = 80;   // more than CHAT_HISTORY_LIMIT=30: the room opens at the newest without the target
const POSICAO = 10; // the target's seq

/** Sends the room's messages through /chat/enviar from the page (fast, the real route). */
async function encherSala(pagina, salaId, marca) {
  await pagina.evaluate(async ({ salaId, total, posicao, alvo, marca }) => {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    for (let i = 1; i <= total; i++) {
      const mensagem = i === posicao ? `${alvo} ${marca}` : `linha ${i}`;
      const corpo = new URLSearchParams({ sala_id: salaId, mensagem, csrf_token: csrf });
      const resposta = await fetch('/chat/enviar', { method: 'POST', body: corpo, headers: { Accept: 'application/json' } });
      if (!resposta.ok) throw new Error(`enviar ${i}: ${resposta.status}`);
    }
  }, { salaId, total: TOTAL, posicao: POSICAO, alvo: ALVO, marca });
}

/** True when the element's box lies inside the message area's visible box. */
async function visivelNaArea(pagina, localizador) {
  const area = await pagina.locator('#papo-mensagens').boundingBox();
  const caixa = await localizador.boundingBox();
  return Boolean(area && caixa && caixa.y >= area.y - 1 && caixa.y + caixa.height <= area.y + area.height + 1);
}

async function buscarEAbrir(t, pagina, marca, sufixo) {
  // The search box of the page header; typed without accents.
  await pagina.goto('/chat/listar-salas');
  await pagina.getByRole('searchbox', { name: 'Buscar mensagens' }).fill(`ORCAMENTO reuniao ${marca}`);
  await Promise.all([pagina.waitForURL('**/chat/buscar?*'), pagina.getByRole('searchbox', { name: 'Buscar mensagens' }).press('Enter')]);
  const resultado = pagina.locator('#papo-resultados li.papo-resultado');
  iguais(await resultado.count(), 1, 'um resultado');
  iguais(await resultado.locator('mark').allTextContents(), ['reunião', 'orçamento', marca], 'as palavras marcadas');
  await t.capturar(pagina, `busca-${sufixo}`);
  await Promise.all([pagina.waitForURL(`**/chat/sala/*?seq=${POSICAO}`), resultado.getByRole('link').click()]);
  const alvo = pagina.locator(`#papo-lista-mensagens li[data-seq="${POSICAO}"]`);
  await alvo.waitFor({ timeout: 5000 });
  await esperar(async () => (await alvo.getAttribute('class')).includes('papo-msg-ancora'), { limiteMs: 5000, mensagem: 'mensagem destacada' });
  await esperar(() => visivelNaArea(pagina, alvo), { limiteMs: 3000, mensagem: 'a mensagem à vista' });
  afirmar((await alvo.textContent()).includes(ALVO), 'o texto da mensagem');
  await pagina.locator('#papo-antigas', { hasText: 'Você está vendo mensagens antigas' }).waitFor({ timeout: 3000 });
  await t.capturar(pagina, `busca-sala-ancorada-${sufixo}`);
}

export function registrar(executor) {
  executor.teste('busca: "orcamento" sem acento acha "orçamento" e abre a sala rolada até a mensagem', async (t) => {
    const ana = await t.novaPagina({ rotulo: 'ana' });
    const bruno = await t.novaPagina({ rotulo: 'bruno' });
    await cadastrar(ana, pessoa('Ana'));
    await cadastrar(bruno, pessoa('Bruno'));
    const marca = `m${Date.now().toString(36)}`;
    const salaId = await criarSala(ana, `Busca ${marca}`, { descricao: 'Sala da busca' });
    await encherSala(ana, salaId, marca);

    await buscarEAbrir(t, bruno, marca, 'desktop');
    // A message sent from the older window lands after a gap: the newer
    // pages still load from the window's end, none missed.
    await enviar(bruno, 'Achei pela busca');
    // Scrolling down loads the newer pages; at the newest the notice goes
    // and the live stream opens.
    await esperar(async () => {
      await bruno.locator('#papo-mensagens').evaluate((e) => { e.scrollTop = e.scrollHeight; });
      return (await bruno.locator(`#papo-lista-mensagens li[data-seq="${TOTAL}"]`).count()) === 1 &&
        (await bruno.locator('#papo-antigas').count()) === 0;
    }, { limiteMs: 10000, mensagem: 'a mensagem mais recente carregada' });
    await esperarConectado(bruno);
    const seqs = await bruno.locator('#papo-lista-mensagens li[data-seq]').evaluateAll((l) => l.map((e) => Number(e.dataset.seq)));
    iguais(seqs.length, new Set(seqs).size, 'nenhuma mensagem repetida');
    afirmar(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1), `seqs contíguos: ${seqs.join(',')}`);
    iguais(seqs[seqs.length - 1], TOTAL + 1, 'a mensagem do Bruno por último');

    const celular = await t.novaPagina({ rotulo: 'bruno-375', largura: 375, altura: 720 });
    await cadastrar(celular, pessoa('Carla'));
    await buscarEAbrir(t, celular, marca, '375px');
    // "Ir para as mais recentes" reloads the room at its newest.
    await Promise.all([celular.waitForURL(`**/chat/sala/${salaId}`), celular.getByRole('link', { name: 'Ir para as mais recentes' }).click()]);
    await esperarConectado(celular);
    await celular.locator(`#papo-lista-mensagens li[data-seq="${TOTAL}"]`).waitFor({ timeout: 3000 });
  }, { limiteMs: 150000 });
}
