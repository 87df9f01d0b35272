// Changes to messages after sending (DESIGN §9), applied to the page's
// message objects: `mensagem_editada`, `mensagem_excluida`, `reacao` and
// `status` events, and a message object received again (the stream's
// backfill, a history fetch, a POST answer).
//
// Every change is idempotent (a resume may replay it) and may arrive before
// the message itself: changes for an id the page does not have wait in
// `pendentes` and are applied when it arrives. Objects carried by the bus
// say minha=false for every reaction: the page keeps what it knows of the
// reader's own reactions (its clicks and `reacao` events of the reader).

import { maiorStatus } from './status.js';

const MAXIMO_PENDENTES = 500;

function instante(iso) {
  const ms = Date.parse(iso ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** `mensagem_editada` {mensagem, editada_em, mencoes} on a message object. */
export function aplicarEdicao(m, { mensagem, editada_em: editadaEm, mencoes }) {
  if (m.excluida || instante(editadaEm) < instante(m.editada_em)) return m;
  return { ...m, mensagem, editada_em: editadaEm, mencoes: mencoes ?? m.mencoes };
}

/** `mensagem_excluida`: a tombstone (text, reactions and mentions gone). */
export function aplicarExclusao(m) {
  return { ...m, excluida: true, mensagem: '', reacoes: [], mencoes: [] };
}

/** `reacao` {emoji, total, usuario_id, ativo}: the total as sent, minha if it was the reader. */
export function aplicarReacao(m, { emoji, total, usuario_id: autor, ativo }, usuarioId) {
  if (m.excluida) return m;
  const atual = (m.reacoes ?? []).find((r) => r.emoji === emoji);
  const minha = autor === usuarioId ? Boolean(ativo) : Boolean(atual?.minha);
  const outras = (m.reacoes ?? []).filter((r) => r.emoji !== emoji);
  const reacoes = total > 0 ? [...outras, { emoji, total, minha }] : outras;
  // Keep the order the reactions first appeared in.
  const ordem = (m.reacoes ?? []).map((r) => r.emoji);
  reacoes.sort((a, b) => (ordem.indexOf(a.emoji) + 1 || 1e9) - (ordem.indexOf(b.emoji) + 1 || 1e9));
  return { ...m, reacoes };
}

/**
 * A message object received again, merged with the page's copy: the later
 * edit wins, a tombstone stays one, the status keeps its maximum; with
 * `doBarramento` (a stream object) the reader's minha comes from the page.
 */
export function mesclar(antiga, nova, { doBarramento = false } = {}) {
  if (!antiga) return nova;
  if (antiga.excluida && !nova.excluida) return { ...antiga, status: maiorStatus(antiga.status, nova.status) };
  let m = { ...nova, status: maiorStatus(antiga.status, nova.status) };
  if (!nova.excluida && instante(antiga.editada_em) > instante(nova.editada_em)) {
    m = { ...m, mensagem: antiga.mensagem, editada_em: antiga.editada_em, mencoes: antiga.mencoes };
  }
  if (doBarramento) {
    const minhas = new Set((antiga.reacoes ?? []).filter((r) => r.minha).map((r) => r.emoji));
    m.reacoes = (m.reacoes ?? []).map((r) => ({ ...r, minha: r.minha || minhas.has(r.emoji) }));
  }
  return m;
}

export class Alteracoes {
  /**
   * lista: the ListaMensagens (objeto(id), alterar(id, f)); usuarioId: the reader.
   * aoLer(seq): a `status` lida for the reader's message at `seq`.
   */
  constructor(lista, usuarioId, { aoLer }) {
    this.lista = lista;
    this.usuarioId = usuarioId;
    this.aoLer = aoLer;
    this.pendentes = new Map();  // mensagem id → [f]
  }

  editada(evento) { this.#aplicar(evento.id, (m) => aplicarEdicao(m, evento)); }
  excluida(evento) { this.#aplicar(evento.id, aplicarExclusao); }
  reacao(evento) { this.#aplicar(evento.mensagem_id, (m) => aplicarReacao(m, evento, this.usuarioId)); }

  /** `status` {mensagem_id, seq, usuario_id, status}: only the reader's own messages show it. */
  status(evento) {
    if (evento.usuario_id !== undefined && evento.usuario_id !== this.usuarioId) return;
    if (evento.status === 'lida') this.aoLer(evento.seq);
    this.#aplicar(evento.mensagem_id, (m) => ({ ...m, status: maiorStatus(m.status, evento.status) }));
  }

  /** A message just added to the page: changes that came first apply now. */
  chegou(id) {
    const fila = this.pendentes.get(id);
    if (!fila) return;
    this.pendentes.delete(id);
    this.lista.alterar(id, (m) => fila.reduce((atual, f) => f(atual), m));
  }

  #aplicar(id, f) {
    if (this.lista.objeto(id)) {
      this.lista.alterar(id, f);
      return;
    }
    if (!this.pendentes.has(id)) {
      // A change for a message far outside the page is of no use: bound the memory.
      if (this.pendentes.size >= MAXIMO_PENDENTES) this.pendentes.delete(this.pendentes.keys().next().value);
      this.pendentes.set(id, []);
    }
    this.pendentes.get(id).push(f);
  }
}
