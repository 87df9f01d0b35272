// What a person does in papo, as steps for the tests: sign up, log in,
// create and open rooms, send messages, read the room page.

import { afirmar, esperar } from './esperar.mjs';

let contador = 0;

/** A unique person: { nome, email, senha }. */
export function pessoa(nome) {
  contador += 1;
  const marca = `${Date.now().toString(36)}${contador}`;
  return { nome, email: `${nome.toLowerCase()}.${marca}@exemplo.com`, senha: 'senha-forte-123' };
}

/** Signs `quem` up through the cadastro form; ends on the room list. */
export async function cadastrar(pagina, quem) {
  await pagina.goto('/cadastro');
  await pagina.getByLabel('Nome').fill(quem.nome);
  await pagina.getByLabel('E-mail').fill(quem.email);
  await pagina.getByLabel('Senha', { exact: true }).fill(quem.senha);
  await pagina.getByLabel('Confirmar senha').fill(quem.senha);
  await Promise.all([pagina.waitForURL('**/chat/listar-salas'), pagina.getByRole('button', { name: 'Criar conta' }).click()]);
}

/** Creates a room through the list page's form; ends on the room page. */
export async function criarSala(pagina, nome, { descricao = '', privada = false, membros = '' } = {}) {
  if (!pagina.url().endsWith('/chat/listar-salas')) await pagina.goto('/chat/listar-salas');
  await pagina.locator('#sala-nome').fill(nome);
  await pagina.locator('#sala-descricao').fill(descricao);
  if (privada) {
    await pagina.getByLabel('Sala privada').check();
    await pagina.locator('#sala-membros').fill(membros);
  }
  await Promise.all([pagina.waitForURL('**/chat/sala/*'), pagina.getByRole('button', { name: 'Criar sala' }).click()]);
  await esperarConectado(pagina);
  return Number(new URL(pagina.url()).pathname.split('/').pop());
}

/** Opens room `id` and waits for its live stream. */
export async function abrirSala(pagina, id) {
  await pagina.goto(`/chat/sala/${id}`);
  await esperarConectado(pagina);
}

export async function esperarConectado(pagina, limiteMs = 10000) {
  await pagina.locator('#papo-conexao[data-estado="conectado"]').waitFor({ timeout: limiteMs });
}

/** Types `texto` in the message box and presses Enter; waits for it on the page. */
export async function enviar(pagina, texto) {
  const caixa = pagina.locator('#papo-texto');
  await caixa.fill(texto);
  await caixa.press('Enter');
  await esperar(async () => (await caixa.inputValue()) === '', { mensagem: `caixa vazia após enviar "${texto}"` });
}

/** Texts of the messages on the page, in order. */
export function textos(pagina) {
  return pagina.locator('#papo-lista-mensagens .papo-texto').allTextContents();
}

/** How many messages on the page have exactly `texto`. */
export async function quantas(pagina, texto) {
  return (await textos(pagina)).filter((t) => t === texto).length;
}

/** Waits until `texto` is on the page exactly once (and stays so until `depois` arrives, if given). */
export async function esperarUmaVez(pagina, texto, limiteMs = 2000) {
  await esperar(async () => (await quantas(pagina, texto)) >= 1, { limiteMs, mensagem: `"${texto}" aparecer` });
  afirmar((await quantas(pagina, texto)) === 1, `"${texto}" aparece uma vez só`);
}
