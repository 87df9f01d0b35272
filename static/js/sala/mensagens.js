// The message list of the room page: one <li> per message, kept in seq
// order, never twice (by seq). Renders the same markup as sala.mustache.

import { el } from '../comum/dom.js';
import { dataCompleta, horaDaMensagem } from '../comum/tempo.js';

// Consecutive messages of one person within this time form one group (the
// name is shown once).
const GRUPO_MS = 5 * 60 * 1000;

export class ListaMensagens {
  constructor(lista, usuarioId) {
    this.lista = lista;
    this.usuarioId = usuarioId;
    this.porSeq = new Map();
    for (const li of lista.querySelectorAll('li[data-seq]')) this.porSeq.set(Number(li.dataset.seq), li);
    for (const li of this.porSeq.values()) this.#agrupar(li);
  }

  get vazia() { return this.porSeq.size === 0; }
  tem(seq) { return this.porSeq.has(seq); }

  primeiroSeq() {
    const li = this.lista.querySelector('li[data-seq]');
    return li ? Number(li.dataset.seq) : 0;
  }

  ultimoSeq() {
    const itens = this.lista.querySelectorAll('li[data-seq]');
    return itens.length ? Number(itens[itens.length - 1].dataset.seq) : 0;
  }

  /** Adds a message object (DESIGN §3); false if it was already shown. */
  adicionar(mensagem) {
    if (this.porSeq.has(mensagem.seq)) return false;
    const li = this.#item(mensagem);
    this.porSeq.set(mensagem.seq, li);
    this.lista.insertBefore(li, this.#seguinte(mensagem.seq));
    this.#agrupar(li);
    if (li.nextElementSibling) this.#agrupar(li.nextElementSibling);
    document.getElementById('papo-vazio')?.remove();
    return true;
  }

  /** The newest message the reader sent, or null. */
  ultimaPropria() {
    const proprias = this.lista.querySelectorAll('li.papo-msg-propria');
    return proprias.length ? proprias[proprias.length - 1] : null;
  }

  atualizarHoras() {
    const agora = new Date();
    for (const tempo of this.lista.querySelectorAll('time.papo-hora')) {
      tempo.textContent = horaDaMensagem(tempo.dateTime, agora);
      tempo.title = dataCompleta(tempo.dateTime);
    }
  }

  // The first <li> with a greater seq (messages mostly arrive at the end).
  #seguinte(seq) {
    const ultimo = this.lista.lastElementChild;
    if (!ultimo || Number(ultimo.dataset.seq) < seq) return null;
    for (const li of this.lista.children) {
      if (Number(li.dataset.seq) > seq) return li;
    }
    return null;
  }

  #item(mensagem) {
    const propria = mensagem.usuario_id === this.usuarioId;
    const hora = el('time', { class: 'papo-hora', datetime: mensagem.data_envio, title: dataCompleta(mensagem.data_envio) },
      horaDaMensagem(mensagem.data_envio));
    const bolha = el('div', { class: 'papo-bolha' },
      propria ? null : el('div', { class: 'papo-autor' }, mensagem.usuario_nome),
      el('div', { class: 'papo-texto' }, mensagem.mensagem),
      hora);
    return el('li', {
      class: `papo-msg${propria ? ' papo-msg-propria' : ''}`,
      'data-seq': mensagem.seq,
      'data-id': mensagem.id,
      'data-usuario-id': mensagem.usuario_id,
    }, bolha);
  }

  // Marks `li` as the continuation of the previous message's group.
  #agrupar(li) {
    const anterior = li.previousElementSibling;
    const tempo = (item) => Date.parse(item.querySelector('time')?.dateTime ?? '');
    const continua = anterior !== null
      && anterior.dataset.usuarioId === li.dataset.usuarioId
      && tempo(li) - tempo(anterior) < GRUPO_MS;
    li.classList.toggle('papo-msg-continua', continua);
  }
}
