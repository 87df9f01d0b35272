// Read positions, both ways. This reader: POST /chat/lida when the page is
// visible, the newest message is in view and something new arrived. The
// others: SSE `leitura` events, shown as "Visto por Ana e Bruno" under the
// reader's last own message.

import { el, listaDeNomes } from '../comum/dom.js';
import { postar } from '../comum/http.js';

const AGRUPAR_MS = 300;
const NOMES_VISIVEIS = 4;

export class Leituras {
  /** dados: the page's papo-dados (usuario_id, lido_antes, ultimo_seq, leituras). */
  constructor(dados, lista) {
    this.salaId = dados.sala_id;
    this.usuarioId = dados.usuario_id;
    this.lista = lista;
    // The server's position when the page was rendered: opening the page
    // marks nothing (a GET), so the page's first vi() sends what is in view.
    this.lidoAte = dados.lido_antes;
    this.enviado = dados.lido_antes;
    this.temporizador = null;
    this.posicoes = new Map();  // usuario_id → { nome, seq }
    for (const leitura of dados.leituras ?? []) this.#guardar(leitura);
    this.mostrarVistos();
  }

  // ---- this reader

  /**
   * The reader has seen everything up to `seq` (page visible, at the
   * bottom). Marks arriving together are grouped; `agora` sends at once
   * (opening the page: a reader who glances and leaves has read it).
   */
  vi(seq, { agora = false } = {}) {
    if (seq <= this.lidoAte) return;
    this.lidoAte = seq;
    if (agora) {
      clearTimeout(this.temporizador);
      this.#enviar();
      return;
    }
    if (this.temporizador) return;
    this.temporizador = setTimeout(() => this.#enviar(), AGRUPAR_MS);
  }

  /** Leaving the page: a grouped mark still waiting is sent now. */
  despedir() {
    if (!this.temporizador) return;
    clearTimeout(this.temporizador);
    this.#enviar();
  }

  async #enviar() {
    this.temporizador = null;
    const seq = this.lidoAte;
    if (seq <= this.enviado) return;
    // keepalive: the reader may be leaving the page right now.
    const resultado = await postar('/chat/lida', { sala_id: this.salaId, seq }, { manter: true });
    if (resultado.ok) this.enviado = Math.max(this.enviado, seq);
    else this.lidoAte = this.enviado;  // try again with the next message
  }

  // ---- the others

  /** SSE `leitura` {usuario_id, usuario_nome, ultimo_seq_lido}. */
  receber(leitura) {
    if (this.#guardar(leitura)) this.mostrarVistos();
  }

  /** Re-renders "Visto por …" under the reader's last own message. */
  mostrarVistos() {
    this.lista.querySelector('.papo-visto')?.remove();
    const ultima = this.lista.querySelectorAll('li.papo-msg-propria');
    if (!ultima.length) return;
    const li = ultima[ultima.length - 1];
    const seq = Number(li.dataset.seq);
    const nomes = [...this.posicoes.values()].filter((p) => p.seq >= seq).map((p) => p.nome);
    if (!nomes.length) return;
    const visiveis = nomes.length > NOMES_VISIVEIS
      ? [...nomes.slice(0, NOMES_VISIVEIS - 1), `mais ${nomes.length - NOMES_VISIVEIS + 1}`]
      : nomes;
    li.append(el('div', { class: 'papo-visto', title: nomes.join(', ') }, `Visto por ${listaDeNomes(visiveis)}`));
  }

  // Keeps the greater position; true if it changed.
  #guardar({ usuario_id: id, usuario_nome: nome, ultimo_seq_lido: seq }) {
    if (id === this.usuarioId) return false;
    const atual = this.posicoes.get(id);
    if (atual && atual.seq >= seq) return false;
    this.posicoes.set(id, { nome: nome ?? atual?.nome ?? 'Alguém', seq });
    return true;
  }
}
