// Unread counts of the room list, kept exact: the list stream's `atividade`
// says a room has a new seq but not who sent it, so the count is re-read
// from GET /chat/mensagens after the reader's position (each message says
// whether it is `lida`; the reader's own messages never count).

import { buscar } from '../comum/http.js';

const PAGINA = 200;
const AGRUPAR_MS = 250;
const MAXIMO = 100;  // the badge shows 99+

export class ContagemNaoLidas {
  /** aoContar(cartao, total): after each recount. */
  constructor(usuarioId, { aoContar } = {}) {
    this.usuarioId = usuarioId;
    this.aoContar = aoContar;
    this.pendentes = new Map();  // sala_id → timer
  }

  /** Recounts `cartao`'s unread messages soon (several events, one fetch). */
  recontar(cartao) {
    if (this.pendentes.has(cartao.id)) return;
    this.pendentes.set(cartao.id, setTimeout(async () => {
      this.pendentes.delete(cartao.id);
      const total = await this.#contar(cartao);
      if (total === null) return;
      cartao.mostrarNaoLidas(total);
      this.aoContar?.(cartao, total);
    }, AGRUPAR_MS));
  }

  async #contar(cartao) {
    let apos = cartao.lidoAte;
    let total = 0;
    let tudoLido = true;
    for (;;) {
      const resultado = await buscar('/chat/mensagens', { sala_id: cartao.id, apos_seq: apos, limit: PAGINA });
      if (!resultado.ok) return null;
      const mensagens = resultado.json.mensagens ?? [];
      for (const mensagem of mensagens) {
        // Everything up to the first unread one needs no reading again.
        if (tudoLido && mensagem.lida) cartao.lidoAte = mensagem.seq;
        else tudoLido = false;
        if (!mensagem.lida && mensagem.usuario_id !== this.usuarioId) total += 1;
      }
      if (mensagens.length < PAGINA || total >= MAXIMO) return total;
      apos = mensagens[mensagens.length - 1].seq;
    }
  }
}
