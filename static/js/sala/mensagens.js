// The message list of the room page: one <li> per message, kept in seq
// order, never twice (by seq), each drawn from its message object
// (bolha.js). The page keeps one object per message id; alterar() replaces
// it and redraws that <li> only, keeping the keyboard focus where it was.

import { el } from '../comum/dom.js';
import { atualizarHoras, horaDaMensagem } from '../comum/tempo.js';
import { partesDaMensagem } from './bolha.js';
import { LidaAte } from './status.js';

// Consecutive messages of one person within this time form one group (the
// name is shown once).
const GRUPO_MS = 5 * 60 * 1000;

// The object of a message sala.mustache rendered, read back from its markup
// (the page then asks the server for the full objects: see main.js).
function objetoDoItem(li) {
  return {
    id: Number(li.dataset.id),
    seq: Number(li.dataset.seq),
    usuario_id: Number(li.dataset.usuarioId),
    usuario_nome: li.querySelector('.papo-autor')?.textContent ?? '',
    mensagem: li.querySelector('.papo-texto')?.textContent ?? '',
    data_envio: li.querySelector('time')?.dateTime ?? '',
    editada_em: li.dataset.editadaEm || null,
    excluida: li.classList.contains('papo-msg-excluida'),
    status: li.dataset.status || undefined,
    reacoes: [],
    mencoes: [],
  };
}

export class ListaMensagens {
  /** leitor: { usuarioId, usuarioNome, dono }; lidaAte: the others' read position (status.js). */
  constructor(lista, leitor, lidaAte = new LidaAte()) {
    this.lista = lista;
    this.leitor = leitor;
    this.usuarioId = leitor.usuarioId;
    this.lidaAte = lidaAte;
    this.porSeq = new Map();
    this.objetos = new Map();  // id → message object
    for (const li of lista.querySelectorAll('li[data-seq]')) {
      const m = objetoDoItem(li);
      this.porSeq.set(m.seq, li);
      this.objetos.set(m.id, m);
      this.#desenhar(li, m);
    }
    for (const li of this.porSeq.values()) this.#agrupar(li);
    // Touch screens have no hover: a tap on a bubble shows its actions.
    const semHover = window.matchMedia('(hover: none)');
    lista.addEventListener('click', (evento) => {
      const li = semHover.matches ? evento.target.closest('.papo-bolha')?.closest('li[data-id]') : null;
      if (!li) return;
      const ativa = lista.querySelector('li.papo-msg-ativa');
      ativa?.classList.remove('papo-msg-ativa');
      if (ativa !== li) li.classList.add('papo-msg-ativa');
    });
  }

  get vazia() { return this.porSeq.size === 0; }
  tem(seq) { return this.porSeq.has(seq); }
  objeto(id) { return this.objetos.get(id); }
  item(id) { return this.lista.querySelector(`li[data-id="${Number(id)}"]`); }

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
    const li = el('li', {
      class: 'papo-msg',
      'data-seq': mensagem.seq,
      'data-id': mensagem.id,
      'data-usuario-id': mensagem.usuario_id,
    });
    this.objetos.set(mensagem.id, mensagem);
    this.#desenhar(li, mensagem);
    this.porSeq.set(mensagem.seq, li);
    this.lista.insertBefore(li, this.#seguinte(mensagem.seq));
    this.#agrupar(li);
    if (li.nextElementSibling) this.#agrupar(li.nextElementSibling);
    document.getElementById('papo-vazio')?.remove();
    return true;
  }

  /** Replaces message `id`'s object by f(object) and redraws it. */
  alterar(id, f) {
    const antiga = this.objetos.get(id);
    const li = this.item(id);
    if (!antiga || !li) return;
    const nova = f(antiga);
    this.objetos.set(id, nova);
    if (nova !== antiga) this.#desenhar(li, nova);
  }

  /** The others read up to `seq`: own messages up to it show `lida`. */
  lidasAte(seq) {
    if (!this.lidaAte.subir(seq)) return;
    for (const li of this.lista.querySelectorAll('li.papo-msg-propria')) {
      if (Number(li.dataset.seq) > seq) break;
      const status = li.querySelector('.papo-status');
      if (status && status.dataset.status !== 'lida') this.#desenhar(li, this.objetos.get(Number(li.dataset.id)));
    }
  }

  /** The newest message the reader sent that is not deleted, or null. */
  ultimaPropria() {
    const proprias = this.lista.querySelectorAll('li.papo-msg-propria:not(.papo-msg-excluida)');
    return proprias.length ? proprias[proprias.length - 1] : null;
  }

  atualizarHoras() {
    atualizarHoras(this.lista, 'time.papo-hora', horaDaMensagem);
  }

  // Draws `m` into `li`: bubble, chips and actions are replaced; anything
  // else in it (the "Visto por" line, an open editor or palette) stays.
  #desenhar(li, m) {
    const propria = m.usuario_id === this.usuarioId;
    li.classList.toggle('papo-msg-propria', propria);
    li.classList.toggle('papo-msg-excluida', Boolean(m.excluida));
    li.tabIndex = -1;  // reached with the arrow keys (navegacao.js)
    const foco = li.contains(document.activeElement) ? document.activeElement.dataset.foco : undefined;
    for (const velha of li.querySelectorAll(':scope > .papo-bolha, :scope > .papo-reacoes, :scope > .papo-acoes')) velha.remove();
    const partes = partesDaMensagem(m, this.leitor, propria ? this.lidaAte.statusDe(m) : null).filter(Boolean);
    li.prepend(...partes);
    if (foco) (li.querySelector(`[data-foco="${CSS.escape(foco)}"]`) ?? li.querySelector('[data-foco]'))?.focus();
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
