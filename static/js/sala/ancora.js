// Opening a room at a message (/chat/sala/{id}?seq=S, a search result's
// link, DESIGN §9): the page holds the messages around S instead of the
// newest. This scrolls to S and highlights it. While the window ends before
// the room's newest message (dados.mais_recentes false) the page says so
// ("Você está vendo mensagens antigas", with a link that reloads the room
// at its newest), loads newer pages as the reader reaches the bottom, and
// holds the live stream back until the newest message is on the page: the
// stream resumes after the page's last seq, and a resume that far behind
// would only ask for a reload.

import { IndicadorConexao } from '../comum/conexao.js';
import { buscar } from '../comum/http.js';

const PAGINA_POSTERIOR = 50;

export class Ancora {
  /** dados: the page's data (ancora_seq, mais_recentes); aviso: the "mensagens antigas" notice. */
  constructor(dados, aviso) {
    this.seq = dados.ancora_seq ?? 0;
    this.pendente = this.seq > 0 && dados.mais_recentes === false;
    this.aviso = aviso;
    this.carregando = null;
    // The last seq of the contiguous range loaded so far (a message the
    // reader sends meanwhile lands after a gap: never count from it).
    this.ate = dados.ultimo_seq ?? 0;
    if (this.pendente) {
      // The stream's own indicator takes over when it starts.
      new IndicadorConexao(document.getElementById('papo-conexao'))
        .mostrar('pausado', 'A conversa ao vivo volta quando você chegar às mensagens mais recentes.');
    }
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
   * While pending: the next page of newer messages, each to `inserir`.
   * Resolves true when this load reached the newest message (the notice
   * is gone, the stream may start).
   */
  posteriores(salaId, inserir) {
    if (!this.pendente) return Promise.resolve(false);
    this.carregando ??= this.#carregar(salaId, this.ate, inserir).finally(() => { this.carregando = null; });
    return this.carregando;
  }

  async #carregar(salaId, ultimo, inserir) {
    // One more than a page: its presence says whether this page is the last.
    const resultado = await buscar('/chat/mensagens', { sala_id: salaId, apos_seq: ultimo, limit: PAGINA_POSTERIOR + 1 });
    if (!resultado.ok || !this.pendente) return false;
    const mensagens = resultado.json.mensagens ?? [];
    const pagina = mensagens.slice(0, PAGINA_POSTERIOR);
    pagina.forEach(inserir);
    if (pagina.length) this.ate = pagina[pagina.length - 1].seq;
    if (mensagens.length > PAGINA_POSTERIOR) return false;
    this.pendente = false;
    this.aviso?.remove();
    return true;
  }
}
