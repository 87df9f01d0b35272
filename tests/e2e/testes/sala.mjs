// The room page between two people in two browser contexts.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import {
  abrirSala, cadastrar, criarSala, enviar, esperarUmaVez, pessoa, quantas, textos,
} from '../lib/usuarios.mjs';

let salas = 0;
function nomeDeSala(base) {
  salas += 1;
  return `${base} ${Date.now().toString(36)}${salas}`;
}

/** Ana and Bruno, each in their own browser context, in a new room. */
export async function duasPessoasNumaSala(t, { largura, altura } = {}) {
  const paginaAna = await t.novaPagina({ rotulo: 'ana', largura, altura });
  const paginaBruno = await t.novaPagina({ rotulo: 'bruno', largura, altura });
  await cadastrar(paginaAna, pessoa('Ana'));
  await cadastrar(paginaBruno, pessoa('Bruno'));
  const id = await criarSala(paginaAna, nomeDeSala('Conversa'), { descricao: 'Sala dos testes no navegador' });
  await abrirSala(paginaBruno, id);
  return { ana: paginaAna, bruno: paginaBruno, id };
}

export function registrar(executor) {
  executor.teste('mensagem de uma pessoa aparece para a outra em até 2 s, uma vez só', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);

    await enviar(ana, 'Olá, Bruno!');
    await esperarUmaVez(bruno, 'Olá, Bruno!', 2000);
    await enviar(bruno, 'Oi, Ana! Tudo bem?');
    await esperarUmaVez(ana, 'Oi, Ana! Tudo bem?', 2000);
    await enviar(ana, 'Tudo ótimo 😄');
    await esperarUmaVez(bruno, 'Tudo ótimo 😄', 2000);

    // Nothing repeated, in the same order for both, once the last one arrived.
    const esperado = ['Olá, Bruno!', 'Oi, Ana! Tudo bem?', 'Tudo ótimo 😄'];
    iguais(await textos(ana), esperado, 'mensagens da Ana');
    iguais(await textos(bruno), esperado, 'mensagens do Bruno');

    // Own bubbles on the right, the others' on the left with the sender's name.
    const propria = bruno.locator('li.papo-msg-propria .papo-bolha').first();
    const outra = bruno.locator('li.papo-msg:not(.papo-msg-propria) .papo-bolha').first();
    afirmar((await propria.boundingBox()).x > (await outra.boundingBox()).x, 'a própria à direita');
    iguais(await outra.locator('.papo-autor').textContent(), 'Ana', 'nome de quem enviou');
    iguais(await bruno.locator('li.papo-msg-propria .papo-autor').count(), 0, 'sem nome na própria');
    afirmar(/^\d{2}:\d{2}$/.test(await outra.locator('time').textContent()), 'hora de hoje em HH:MM');

    // Presence: both are online in the room, with names.
    await esperar(async () => (await bruno.locator('#papo-online').textContent()) === '2', { mensagem: '2 online' });
    await esperar(async () => (await bruno.locator('#papo-presenca').getAttribute('title')).includes('Ana'),
      { mensagem: 'Ana na lista de presença' });
  });

  executor.teste('indicador de digitação aparece, some após parar e ao enviar', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    const aviso = bruno.locator('#papo-digitando');

    await ana.locator('#papo-texto').pressSequentially('Estou escrevendo', { delay: 20 });
    await esperar(async () => (await aviso.textContent()) === 'Ana está digitando…', { limiteMs: 2000, mensagem: 'Ana está digitando…' });
    // Ana stops typing: idle for 2 s, the stop arrives.
    await esperar(async () => (await aviso.textContent()) === '', { limiteMs: 6000, mensagem: 'o aviso sumir' });

    await ana.locator('#papo-texto').pressSequentially(' e envio.', { delay: 20 });
    await esperar(async () => (await aviso.textContent()) !== '', { limiteMs: 2000, mensagem: 'o aviso voltar' });
    await ana.locator('#papo-texto').press('Enter');
    await esperarUmaVez(bruno, 'Estou escrevendo e envio.', 2000);
    await esperar(async () => (await aviso.textContent()) === '', { limiteMs: 2000, mensagem: 'o aviso sumir ao enviar' });
  });

  executor.teste('confirmação de leitura "Visto por" sob a última mensagem própria', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await enviar(ana, 'Você viu isto?');
    await esperarUmaVez(bruno, 'Você viu isto?');
    const visto = ana.locator('li.papo-msg-propria:last-child .papo-visto');
    await esperar(async () => (await visto.count()) === 1 && (await visto.textContent()) === 'Visto por Bruno',
      { limiteMs: 3000, mensagem: '"Visto por Bruno" na Ana' });

    // A newer own message moves the receipt under it once Bruno has read it.
    await enviar(ana, 'E isto?');
    await esperarUmaVez(bruno, 'E isto?');
    await esperar(async () => (await ana.locator('.papo-visto').count()) === 1
      && (await ana.locator('li.papo-msg-propria:last-child .papo-visto').count()) === 1,
    { limiteMs: 3000, mensagem: 'o "Visto por" descer para a última' });
  });

  executor.teste('mensagem com <script> aparece como texto, ao vivo e recarregada', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    const perigosa = '<script>window.__papoXss=1</script><img src=x onerror="window.__papoXss=2"> <b>negrito?</b>';
    await enviar(ana, perigosa);
    await esperarUmaVez(bruno, perigosa);
    for (const pagina of [ana, bruno]) {
      iguais(await pagina.evaluate(() => window.__papoXss), undefined, 'nenhum script executou');
      iguais(await pagina.locator('#papo-lista-mensagens img, #papo-lista-mensagens b').count(), 0, 'nenhuma tag virou elemento');
    }
    await abrirSala(bruno, id);
    iguais(await quantas(bruno, perigosa), 1, 'o texto literal na página do servidor');
    iguais(await bruno.evaluate(() => window.__papoXss), undefined, 'nenhum script executou após recarregar');
  });

  executor.teste('Enter envia, Shift+Enter quebra linha, contador e erros do servidor em aviso', async (t) => {
    const pagina = await t.novaPagina({ rotulo: 'ana' });
    await cadastrar(pagina, pessoa('Ana'));
    await criarSala(pagina, nomeDeSala('Teclado'));
    const caixa = pagina.locator('#papo-texto');
    const botao = pagina.locator('#papo-enviar');
    const contador = pagina.locator('#papo-contador');

    afirmar(await botao.isDisabled(), 'botão desabilitado com a caixa vazia');
    await caixa.pressSequentially('linha 1');
    await caixa.press('Shift+Enter');
    await caixa.pressSequentially('linha 2 ✓');
    iguais(await caixa.inputValue(), 'linha 1\nlinha 2 ✓', 'Shift+Enter quebra a linha');
    iguais(await contador.textContent(), '17/1000', 'contador em code points');
    afirmar(await botao.isEnabled(), 'botão habilitado com texto');
    await caixa.press('Enter');
    await esperarUmaVez(pagina, 'linha 1\nlinha 2 ✓');
    iguais(await contador.textContent(), '0/1000', 'contador zerado após enviar');

    // Over the limit (emoji are one code point each): counter red, button off.
    await caixa.fill('😀'.repeat(1001));
    iguais(await contador.textContent(), '1001/1000', 'contador acima do limite');
    afirmar(await contador.evaluate((e) => e.classList.contains('text-danger')), 'contador em vermelho');
    afirmar(await botao.isDisabled(), 'botão desabilitado acima do limite');
    await caixa.fill('😀'.repeat(1000));
    afirmar(await botao.isEnabled(), 'exatamente 1000 emoji é permitido');
    await caixa.press('Enter');
    await esperarUmaVez(pagina, '😀'.repeat(1000));

    // The server refuses control characters: its pt-BR error shows as a toast.
    await caixa.fill('sino \u0007 aqui');
    await caixa.press('Enter');
    const aviso = pagina.locator('#papo-toasts [role="alert"]');
    await aviso.waitFor({ timeout: 3000 });
    afirmar((await aviso.textContent()).trim().length > 5, 'aviso com o texto do servidor');
    iguais(await caixa.inputValue(), 'sino \u0007 aqui', 'o texto fica na caixa para corrigir');
    afirmar(await botao.isEnabled(), 'botão volta a ficar habilitado');
  });

  executor.teste('histórico antigo carrega ao rolar para o topo, mantendo a posição; pílula de novas', async (t) => {
    const { ana, bruno, id } = await duasPessoasNumaSala(t);
    // 45 messages through the JSON endpoint (the page shows the newest 30).
    await ana.evaluate(async (sala) => {
      const csrf = document.querySelector('meta[name="csrf-token"]').content;
      for (let i = 1; i <= 45; i++) {
        const resposta = await fetch('/chat/enviar', {
          method: 'POST',
          headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' },
          body: new URLSearchParams({ sala_id: sala, mensagem: `histórico ${i}` }),
        });
        if (!resposta.ok) throw new Error(`enviar ${i}: ${resposta.status}`);
      }
    }, id);
    await esperarUmaVez(bruno, 'histórico 45', 5000);
    await abrirSala(bruno, id);
    iguais((await textos(bruno)).length, 30, 'a página traz as 30 mais novas');
    iguais((await textos(bruno))[0], 'histórico 16', 'a mais antiga da página');

    const ancora = bruno.locator('li').filter({ has: bruno.locator('.papo-texto', { hasText: /^histórico 16$/ }) });
    await bruno.locator('#papo-mensagens').evaluate((e) => { e.scrollTop = 0; });
    await esperar(async () => (await textos(bruno)).length === 45, { mensagem: '45 mensagens após rolar' });
    iguais(await textos(bruno), Array.from({ length: 45 }, (_, i) => `histórico ${i + 1}`), 'em ordem, sem repetição');
    await bruno.getByText('Início da conversa').waitFor();
    // The message that was at the top is still in view (position kept).
    const caixa = await bruno.locator('#papo-mensagens').boundingBox();
    const posicao = await ancora.boundingBox();
    afirmar(posicao.y >= caixa.y - 5 && posicao.y < caixa.y + caixa.height, 'a mensagem do topo continua visível');

    // Scrolled up: a new message does not move the view; the pill counts it.
    const topoAntes = await bruno.locator('#papo-mensagens').evaluate((e) => e.scrollTop);
    await enviar(ana, 'nova enquanto leio o passado');
    await esperarUmaVez(bruno, 'nova enquanto leio o passado');
    const pilula = bruno.locator('#papo-novas');
    await pilula.waitFor();
    iguais(await pilula.textContent(), '1 nova mensagem ↓', 'texto da pílula');
    iguais(await bruno.locator('#papo-mensagens').evaluate((e) => e.scrollTop), topoAntes, 'a rolagem não mudou');
    await pilula.click();
    await esperar(async () => bruno.locator('#papo-mensagens').evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight < 48),
      { mensagem: 'rolado até o fim' });
    await pilula.waitFor({ state: 'hidden' });
  }, { limiteMs: 120000 });

  executor.teste('só com o teclado: abrir uma sala pela lista e enviar', async (t) => {
    const pagina = await t.novaPagina({ rotulo: 'ana' });
    await cadastrar(pagina, pessoa('Ana'));
    // The list leads with "Nova conversa", the section links and the
    // filter (issue 17), then the cards, newest activity first: Tab
    // reaches the first card.
    let foco = '';
    for (let i = 0; i < 30 && !foco; i++) {
      await pagina.keyboard.press('Tab');
      foco = await pagina.evaluate(() => (document.activeElement.matches('.papo-sala-card') ? document.activeElement.textContent : ''));
    }
    afirmar(foco, 'um cartão de sala recebe o foco pelo Tab');
    await Promise.all([pagina.waitForURL('**/chat/sala/*'), pagina.keyboard.press('Enter')]);
    for (let i = 0; i < 15; i++) {
      if (await pagina.evaluate(() => document.activeElement?.id === 'papo-texto')) break;
      await pagina.keyboard.press('Tab');
    }
    afirmar(await pagina.evaluate(() => document.activeElement?.id === 'papo-texto'), 'a caixa de mensagem recebe o foco pelo Tab');
    await pagina.keyboard.type('enviada só com o teclado');
    await pagina.keyboard.press('Enter');
    await esperarUmaVez(pagina, 'enviada só com o teclado');
  });
}
