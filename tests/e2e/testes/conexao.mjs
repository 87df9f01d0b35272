// The connection indicator and catch-up when papo-pusher goes away and
// comes back.

import { esperar, iguais } from '../lib/esperar.mjs';
import { enviar, esperarConectado, esperarUmaVez, textos } from '../lib/usuarios.mjs';
import { duasPessoasNumaSala } from './sala.mjs';

async function estado(pagina) {
  return pagina.locator('#papo-conexao').getAttribute('data-estado');
}

export function registrar(executor, pilha) {
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
