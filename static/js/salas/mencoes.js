// Mentions of the reader on the room list (DESIGN §9): a "@N" badge per
// room (its count from the page, data-mencoes, then one more per `mencao`
// event of the list stream), and, while the tab is hidden, a browser
// notification (comum/notificar.js). A room whose unread count falls to
// zero was read elsewhere: its mentions were seen too.

import { notificar, prepararBotaoDePermissao } from '../comum/notificar.js';

export class MencoesDaLista {
  /** cartoes: Map sala_id → Cartao; botao: the bell that asks for the permission. */
  constructor(cartoes, botao) {
    this.cartoes = cartoes;
    this.vistas = new Set();  // mensagem ids already counted (a resume may repeat one)
    for (const cartao of cartoes.values()) cartao.mostrarMencoes(cartao.mencoes);
    prepararBotaoDePermissao(botao);
  }

  /** A card added live. */
  novoCartao(cartao) { cartao.mostrarMencoes(cartao.mencoes); }

  /** List stream `mencao` {sala_id, mensagem_id, seq, autor, mensagem}. */
  receber({ sala_id: salaId, mensagem_id: id, autor, mensagem = '' }) {
    if (this.vistas.has(id)) return;
    this.vistas.add(id);
    const cartao = this.cartoes.get(salaId);
    if (cartao) cartao.mostrarMencoes(cartao.mencoes + 1);
    if (document.visibilityState !== 'hidden') return;
    const sala = cartao ? ` em ${cartao.nome}` : '';
    notificar(`${autor} mencionou você${sala}`, mensagem, `papo-mencao-${salaId}`);
  }

  /** The room's unread count is now `naoLidas`. */
  recontado(cartao, naoLidas) {
    if (naoLidas === 0 && cartao.mencoes > 0) cartao.mostrarMencoes(0);
  }
}
