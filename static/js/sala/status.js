// Delivery status of the reader's own messages (DESIGN §9): one tick
// `enviada`, two ticks `entregue`, two colored ticks `lida`, each with a
// pt-BR label for screen readers. A status never goes down: the page keeps
// the highest one it has heard of (the message object, `status` events,
// and `leitura` positions of the others).

import { el } from '../comum/dom.js';

const ORDEM = { enviada: 1, entregue: 2, lida: 3 };

/** The higher of two statuses (unknown names count as lowest). */
export function maiorStatus(a, b) {
  return (ORDEM[b] ?? 0) > (ORDEM[a] ?? 0) ? b : a;
}

/** The ticks of a message with status `status` (default `enviada`: it is stored). */
export function marcaDeStatus(status) {
  const valor = ORDEM[status] ? status : 'enviada';
  return el('span', { class: `papo-status papo-status-${valor}`, 'data-status': valor, title: valor },
    el('span', { class: 'papo-ticks', 'aria-hidden': 'true' }, valor === 'enviada' ? '✓' : '✓✓'),
    el('span', { class: 'visually-hidden' }, valor));
}

/**
 * The read position of the others: every own message up to it is `lida`
 * (a `status` lida covers the author's earlier messages too, and another
 * member's `leitura` reaching a seq means the same).
 */
export class LidaAte {
  constructor(seq = 0) { this.seq = seq; }

  /** Raises the position; true if it moved. */
  subir(seq) {
    if (!(seq > this.seq)) return false;
    this.seq = seq;
    return true;
  }

  /** The status to show for an own message, given what the object says. */
  statusDe(mensagem) {
    return mensagem.seq <= this.seq ? 'lida' : maiorStatus('enviada', mensagem.status);
  }
}
