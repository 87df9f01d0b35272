// Opening a room at a message (/chat/sala/{id}?seq=S, a search result's
// link, DESIGN §9): the page holds the messages around S instead of the
// newest. This scrolls to S and highlights it. While the window ends before
// the room's newest message (dados.mais_recentes false) the page says so
// ("Você está vendo mensagens antigas", with a link that reloads the room
// at its newest), loads newer pages as the reader reaches the bottom, and
// holds the live stream back until the newest message is on the page: the
// stream resumes after the page's last seq, and a resume that far behind
// would only ask for a reload.

import { buscar } from '../comum/http.js';

const PAGINA_POSTERIOR = 50;

export class Ancora {
  /** dados: the page's data (ancora_seq, mais_recentes); aviso: the "mensagens antigas" notice. */
  constructor(dados, aviso) {
    this.seq = dados.ancora_seq ?? 0;
    this.pendente = this.seq > 0 && dados.mais_recentes === false;
    this.aviso = aviso;
    this.carregando = null;
  }

  /** Scrolls message `seq` of `lista` (the <ol>) into the middle of the view and highlights it. */
  mostrar(lista) {
    const item = this.seq ? lista.querySelector(`li[data-seq="${this.seq}"]`) : null;
    if (!item) return false;
    item.classList.add('papo-msg-ancora');
    item.scrollIntoView({ block: 'center' });
    return true;
  }

  /**
   * The rendered window's full objects (reactions, mentions, ticks): only
   * seqs primeiro..ultimo, never past them (the history's lacuna would
   * fetch up to the newest). Each goes to `receber`.
   */
  async janela(salaId, primeiro, ultimo, receber) {
    const limit = Math.min(200, Math.max(1, ultimo - primeiro + 1));
    const resultado = await buscar('/chat/mensagens', { sala_id: salaId, apos_seq: primeiro - 1, limit });
    if (resultado.ok) (resultado.json.mensagens ?? []).forEach(receber);
  }

  /**
   * While pending: the page after seq `ultimo`, each message to `inserir`.
   * Resolves true when this load reached the newest message (the notice
   * is gone, the stream may start).
   */
  posteriores(salaId, ultimo, inserir) {
    if (!this.pendente) return Promise.resolve(false);
    this.carregando ??= this.#carregar(salaId, ultimo, inserir).finally(() => { this.carregando = null; });
    return this.carregando;
  }

  async #carregar(salaId, ultimo, inserir) {
    const resultado = await buscar('/chat/mensagens', { sala_id: salaId, apos_seq: ultimo, limit: PAGINA_POSTERIOR });
    if (!resultado.ok || !this.pendente) return false;
    const mensagens = resultado.json.mensagens ?? [];
    mensagens.forEach(inserir);
    if (mensagens.length >= PAGINA_POSTERIOR) return false;
    this.pendente = false;
    this.aviso?.remove();
    return true;
  }
}
