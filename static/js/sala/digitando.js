// The typing indicator, both ways (POST /chat/digitando, SSE `digitando`).
// Sending: "digitando=1" at most once every REPETIR_MS while typing, "0" after
// PARADO_MS without a key or on send. Showing: each typist expires by itself
// after EXPIRA_MS if their stop never comes.

import { listaDeNomes } from '../comum/dom.js';
import { postar } from '../comum/http.js';

const REPETIR_MS = 3000;
const PARADO_MS = 2000;
const EXPIRA_MS = 6000;

export class AvisoDigitando {
  constructor(salaId, usuarioId, elemento) {
    this.salaId = salaId;
    this.usuarioId = usuarioId;
    this.elemento = elemento;
    this.ativo = false;
    this.ultimoEnvio = 0;
    this.parado = null;
    this.outros = new Map();  // usuario_id → { nome, expira }
  }

  // ---- this user

  /** A key was typed and the box has text. */
  digitou() {
    clearTimeout(this.parado);
    this.parado = setTimeout(() => this.parou(), PARADO_MS);
    const agora = Date.now();
    if (this.ativo && agora - this.ultimoEnvio < REPETIR_MS) return;
    this.ativo = true;
    this.ultimoEnvio = agora;
    postar('/chat/digitando', { sala_id: this.salaId, digitando: 1 });
  }

  /** Idle, empty box, or sent. */
  parou() {
    clearTimeout(this.parado);
    this.parado = null;
    if (!this.ativo) return;
    this.ativo = false;
    postar('/chat/digitando', { sala_id: this.salaId, digitando: 0 });
  }

  // ---- the others

  /** SSE `digitando` {usuario_id, usuario_nome, digitando}. */
  receber({ usuario_id: id, usuario_nome: nome, digitando }) {
    if (id === this.usuarioId) return;
    clearTimeout(this.outros.get(id)?.expira);
    if (digitando) {
      this.outros.set(id, { nome, expira: setTimeout(() => this.esquecer(id), EXPIRA_MS) });
    } else {
      this.outros.delete(id);
    }
    this.#mostrar();
  }

  /** `id` stopped typing (their message arrived, or the expiry ran out). */
  esquecer(id) {
    const entrada = this.outros.get(id);
    if (!entrada) return;
    clearTimeout(entrada.expira);
    this.outros.delete(id);
    this.#mostrar();
  }

  #mostrar() {
    const nomes = [...this.outros.values()].map((entrada) => entrada.nome);
    let texto = '';
    if (nomes.length === 1) texto = `${nomes[0]} está digitando…`;
    else if (nomes.length === 2) texto = `${listaDeNomes(nomes)} estão digitando…`;
    else if (nomes.length > 2) texto = `${nomes.length} pessoas estão digitando…`;
    this.elemento.textContent = texto;
    this.elemento.classList.toggle('papo-digitando-ativo', nomes.length > 0);
  }
}
