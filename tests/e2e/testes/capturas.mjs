// Screenshots of the pages people see most, desktop and a 375 px phone,
// kept in artifacts/ to be looked at; and no sideways scrolling on a phone.

import { afirmar, esperar } from '../lib/esperar.mjs';
import { enviar, esperarUmaVez } from '../lib/usuarios.mjs';
import { duasPessoasNumaSala } from './sala.mjs';

async function semRolagemLateral(pagina) {
  const larguras = await pagina.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  afirmar(larguras[0] <= larguras[1], `sem rolagem lateral (${larguras[0]} > ${larguras[1]})`);
}

async function conversa(ana, bruno) {
  await enviar(ana, 'Bom dia! Alguém viu o relatório de vendas de ontem?');
  await esperarUmaVez(bruno, 'Bom dia! Alguém viu o relatório de vendas de ontem?');
  await enviar(bruno, 'Bom dia, Ana! Vi sim.');
  await enviar(bruno, 'Os números de novembro ficaram acima da meta:\n• Sul: +12%\n• Sudeste: +8%\n• Nordeste: +15%');
  await esperarUmaVez(ana, 'Bom dia, Ana! Vi sim.');
  await enviar(ana, 'Ótimo! Vou preparar a apresentação para a reunião de sexta e mando aqui até o fim do dia. 🚀');
  await esperarUmaVez(bruno, 'Ótimo! Vou preparar a apresentação para a reunião de sexta e mando aqui até o fim do dia. 🚀');
  await esperar(async () => (await ana.locator('.papo-visto').count()) === 1, { limiteMs: 3000, mensagem: 'Visto por' });
  await bruno.locator('#papo-texto').pressSequentially('Perfeito', { delay: 10 });
  await esperar(async () => (await ana.locator('#papo-digitando').textContent()) !== '', { limiteMs: 2000, mensagem: 'digitando' });
}

export function registrar(executor) {
  executor.teste('capturas: sala no desktop e em 375 px, lista de salas', async (t) => {
    const desktop = await duasPessoasNumaSala(t);
    await conversa(desktop.ana, desktop.bruno);
    await t.capturar(desktop.ana, 'sala-desktop');
    await semRolagemLateral(desktop.ana);

    const celular = await t.novaPagina({ rotulo: 'ana-celular', largura: 375, altura: 740 });
    await celular.context().addCookies(await desktop.ana.context().cookies());
    await celular.goto(`/chat/sala/${desktop.id}`);
    await celular.locator('#papo-conexao[data-estado="conectado"]').waitFor();
    await t.capturar(celular, 'sala-375px');
    await semRolagemLateral(celular);
    const enviarVisivel = await celular.locator('#papo-enviar').boundingBox();
    afirmar(enviarVisivel.x + enviarVisivel.width <= 375, 'o botão Enviar cabe na tela');

    await desktop.bruno.goto('/chat/listar-salas');
    await desktop.bruno.locator('#papo-conexao[data-estado="conectado"]').waitFor();
    await t.capturar(desktop.bruno, 'lista-de-salas-desktop', { fullPage: true });
    await celular.goto('/chat/listar-salas');
    await celular.locator('#papo-conexao[data-estado="conectado"]').waitFor();
    await t.capturar(celular, 'lista-de-salas-375px', { fullPage: true });
    await semRolagemLateral(celular);
  });
}
