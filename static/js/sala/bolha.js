// One message as the room page shows it, built from its message object
// (DESIGN §3, §9): the bubble (author, text with the reader's mentions
// marked, "(editada)", time, ticks on own messages), the reaction chips and
// the actions. A deleted message is a tombstone without actions. User text
// only ever goes in as text nodes.

import { el } from '../comum/dom.js';
import { dataCompleta, horaDaMensagem } from '../comum/tempo.js';
import { chipsDeReacoes } from './reacoes.js';
import { marcaDeStatus } from './status.js';

/**
 * `texto` as nodes, every "@nome" of the reader in a <mark>: case-insensitive
 * and ending at a word boundary, as the server finds mentions (mention_finder).
 */
export function textoComMencoes(texto, nome) {
  if (!nome) return [texto];
  const escapado = nome.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const padrao = new RegExp(`@${escapado}(?![\\p{L}\\p{N}_])`, 'giu');
  const partes = [];
  let inicio = 0;
  for (const achado of texto.matchAll(padrao)) {
    if (achado.index > inicio) partes.push(texto.slice(inicio, achado.index));
    partes.push(el('mark', { class: 'papo-mencao' }, achado[0]));
    inicio = achado.index + achado[0].length;
  }
  if (inicio < texto.length) partes.push(texto.slice(inicio));
  return partes.length ? partes : [texto];
}

function texto(m, leitor) {
  if (m.excluida) return el('div', { class: 'papo-texto papo-excluida' }, el('em', {}, 'Mensagem excluída'));
  const meu = (m.mencoes ?? []).includes(leitor.usuarioId);
  return el('div', { class: 'papo-texto' }, ...(meu ? textoComMencoes(m.mensagem, leitor.usuarioNome) : [m.mensagem]));
}

function rodape(m, propria, status) {
  const editada = m.editada_em && !m.excluida
    ? el('span', { class: 'papo-editada', title: `Editada em ${dataCompleta(m.editada_em)}` }, '(editada)')
    : null;
  const hora = el('time', { class: 'papo-hora', datetime: m.data_envio, title: dataCompleta(m.data_envio) },
    horaDaMensagem(m.data_envio));
  return el('div', { class: 'papo-rodape' }, editada, hora, propria ? marcaDeStatus(status) : null);
}

function botao(acao, texto, rotulo, extra = {}) {
  // tabindex -1: in the Tab order only while its message has the focus (navegacao.js).
  return el('button', { type: 'button', class: 'papo-acao', tabindex: '-1', 'data-acao': acao, 'data-foco': `acao:${acao}`, 'aria-label': rotulo, title: rotulo, ...extra }, texto);
}

function acoes(m, propria, dono) {
  if (m.excluida) return null;
  return el('div', { class: 'papo-acoes', role: 'group', 'aria-label': 'Ações da mensagem' },
    botao('reagir', 'Reagir', 'Reagir à mensagem', { 'aria-expanded': 'false', 'aria-haspopup': 'true' }),
    propria ? botao('editar', 'Editar', 'Editar mensagem') : null,
    propria || dono ? botao('excluir', 'Excluir', 'Excluir mensagem') : null);
}

/**
 * The parts of a message's <li>, in order: [bolha, reacoes|null, acoes|null].
 * leitor: { usuarioId, usuarioNome, dono }: dono (the room's owner) may delete
 * anyone's message; status: the ticks to show on own messages.
 */
export function partesDaMensagem(m, leitor, status) {
  const propria = m.usuario_id === leitor.usuarioId;
  const bolha = el('div', { class: 'papo-bolha' },
    propria ? null : el('div', { class: 'papo-autor' }, m.usuario_nome),
    texto(m, leitor),
    rodape(m, propria, status));
  return [bolha, m.excluida ? null : chipsDeReacoes(m), acoes(m, propria, leitor.dono)];
}
