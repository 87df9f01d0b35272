// Messages the page does not have yet, over GET /chat/mensagens:
// older ones when the reader scrolls to the top (antes_seq), and a gap after
// a seq (apos_seq) when the stream asks for `ressincronizar` or while it is
// down.

import { buscar } from '../comum/http.js';

const PAGINA_ANTERIOR = 50;
const PAGINA_LACUNA = 200;

export class Historico {
  /** aviso: the element that says "Carregando…" / "Início da conversa". */
  constructor(salaId, aviso, { temAnteriores }) {
    this.salaId = salaId;
    this.aviso = aviso;
    this.carregando = false;
    this.esgotado = !temAnteriores;
    if (this.esgotado) this.#inicio();
  }

  /**
   * Loads the page before `primeiroSeq`; `inserir(mensagens)` adds them.
   * Resolves to the number of messages loaded.
   */
  async anteriores(primeiroSeq, inserir) {
    if (this.carregando || this.esgotado || primeiroSeq <= 1) return 0;
    this.carregando = true;
    this.aviso.textContent = 'Carregando mensagens anteriores…';
    try {
      const resultado = await buscar('/chat/mensagens',
        { sala_id: this.salaId, antes_seq: primeiroSeq, limit: PAGINA_ANTERIOR });
      if (!resultado.ok) {
        this.aviso.textContent = 'Não foi possível carregar mensagens anteriores.';
        return 0;
      }
      const mensagens = resultado.json.mensagens ?? [];
      inserir(mensagens);
      if (mensagens.length < PAGINA_ANTERIOR || mensagens[0]?.seq <= 1) this.esgotado = true;
      if (this.esgotado) this.#inicio(); else this.aviso.textContent = '';
      return mensagens.length;
    } finally {
      this.carregando = false;
    }
  }

  /**
   * Every message after seq `desde`, oldest first, each handed to `receber`.
   * Calls run one after the other (never two fetches of one gap at once).
   */
  lacuna(desde, receber) {
    this.fila = (this.fila ?? Promise.resolve()).then(() => this.#buscarApos(desde, receber));
    return this.fila;
  }

  async #buscarApos(desde, receber) {
    let apos = desde;
    for (;;) {
      const resultado = await buscar('/chat/mensagens', { sala_id: this.salaId, apos_seq: apos, limit: PAGINA_LACUNA });
      if (!resultado.ok) return;
      const mensagens = resultado.json.mensagens ?? [];
      mensagens.forEach(receber);
      if (mensagens.length < PAGINA_LACUNA) return;
      apos = mensagens[mensagens.length - 1].seq;
    }
  }

  #inicio() {
    this.aviso.textContent = 'Início da conversa';
  }
}
