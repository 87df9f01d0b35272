// The connection indicator and catch-up when papo-pusher goes away and
// comes back.

import { afirmar, esperar, iguais } from '../lib/esperar.mjs';
import { enviar, esperarConectado, esperarUmaVez, textos } from '../lib/usuarios.mjs';
import { duasPessoasNumaSala } from './sala.mjs';

async function estado(pagina) {
  return pagina.locator('#papo-conexao').getAttribute('data-estado');
}

export function registrar(executor, pilha) {
  registrarRessincronizar(executor, pilha);
  executor.teste('sem o pusher o indicador fica vermelho; volta verde e mostra as mensagens perdidas uma vez', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await enviar(ana, 'antes da queda');
    await esperarUmaVez(bruno, 'antes da queda');
    iguais(await bruno.locator('#papo-conexao').textContent(), 'Conectado', 'verde antes');

    await pilha.pararPusher();
    for (const pagina of [ana, bruno]) {
      await esperar(async () => (await estado(pagina)) === 'desconectado', { limiteMs: 15000, mensagem: `${pagina.rotulo} em vermelho` });
      iguais(await pagina.locator('#papo-conexao').textContent(), 'Desconectado', 'texto do indicador');
      await t.capturar(pagina, `sala-desconectada-${pagina.rotulo}`);
    }
    // Sending still works (papo-app is up); the stream is not.
    await enviar(ana, 'durante a queda 1');
    await enviar(ana, 'durante a queda 2');

    await pilha.iniciarPusher();
    for (const pagina of [ana, bruno]) await esperarConectado(pagina, 45000);
    await enviar(ana, 'depois da volta');
    await esperarUmaVez(bruno, 'depois da volta', 2000);
    const esperado = ['antes da queda', 'durante a queda 1', 'durante a queda 2', 'depois da volta'];
    iguais(await textos(bruno), esperado, 'Bruno tem cada mensagem uma vez, em ordem');
    iguais(await textos(ana), esperado, 'Ana tem cada mensagem uma vez, em ordem');
  }, { limiteMs: 150000 });
}

function registrarRessincronizar(executor, pilha) {
  executor.teste('sem rede: amarelo "Reconectando…"; ao voltar, lacuna maior que o cache vem por ressincronizar, uma vez', async (t) => {
    const { ana, bruno } = await duasPessoasNumaSala(t);
    await enviar(ana, 'antes de cair a rede');
    await esperarUmaVez(bruno, 'antes de cair a rede');

    // Bruno loses the network (his open stream stays up until it ends), then
    // the stream ends: the browser keeps retrying by itself, in yellow.
    await bruno.context().setOffline(true);
    await pilha.pararPusher();
    await esperar(async () => (await estado(bruno)) === 'reconectando', { limiteMs: 15000, mensagem: 'Bruno em amarelo' });
    iguais(await bruno.locator('#papo-conexao').textContent(), 'Reconectando…', 'texto do indicador');
    await t.capturar(bruno, 'sala-reconectando');

    // More messages than the pusher's cache (CHAT_CACHE_SIZE=20) keeps.
    const enviadas = Array.from({ length: 25 }, (_, i) => `sem rede ${i + 1}`);
    for (const texto of enviadas) await enviar(ana, texto);
    await pilha.iniciarPusher();
    const lacunas = [];
    bruno.on('request', (pedido) => { if (pedido.url().includes('apos_seq=')) lacunas.push(pedido.url()); });
    await bruno.context().setOffline(false);

    await esperarConectado(bruno, 45000);
    await esperarUmaVez(bruno, 'sem rede 25', 5000);
    iguais(await textos(bruno), ['antes de cair a rede', ...enviadas], 'todas, uma vez, em ordem');
    // The stream could not cover the gap: the page loaded it after `ressincronizar`.
    afirmar(lacunas.length >= 1, `a lacuna veio de /chat/mensagens?apos_seq (pedidos: ${lacunas.length})`);
  }, { limiteMs: 120000 });
}
