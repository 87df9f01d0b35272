// A live SSE stream (DESIGN §4) that keeps itself connected.
//
// While the stream answers 200, EventSource reconnects by itself (with
// Last-Event-ID, after the server's `retry:`): the indicator shows
// "Reconectando…". On any other answer (401, 403, 404, 502, 503…) the
// browser gives up for good: we show "Desconectado", ask the server why
// (`sondar`), go to the login page on 401, stop on 403/404, and otherwise
// create a new EventSource after an exponential backoff with jitter.

import { irParaLogin } from './http.js';

const ESPERA_INICIAL_MS = 1000;
const ESPERA_MAXIMA_MS = 30000;

/** Delay before reconnection attempt n (0, 1, …): half fixed, half random. */
export function esperaComJitter(tentativa, aleatorio = Math.random) {
  const teto = Math.min(ESPERA_MAXIMA_MS, ESPERA_INICIAL_MS * 2 ** tentativa);
  return Math.round(teto / 2 + aleatorio() * (teto / 2));
}

export class FluxoAoVivo {
  /**
   * opcoes.url()        the URL to open (called on every new EventSource)
   * opcoes.indicador    an IndicadorConexao
   * opcoes.mensagem(e)  default events (onmessage)
   * opcoes.eventos      { nome: handler } for named events
   * opcoes.sondar()     async → HTTP status of a cheap authenticated request
   * opcoes.aoAbrir()    after each successful (re)connection
   * opcoes.aoCair()     when the stream is given up (before the backoff)
   * opcoes.aoPerderAcesso(status)  the server refused for good (403/404)
   */
  constructor(opcoes) {
    this.opcoes = opcoes;
    this.fonte = null;
    this.tentativa = 0;
    this.temporizador = null;
    this.parado = false;
    window.addEventListener('online', () => this.reconectarJa());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.reconectarJa();
    });
    // Leaving the page: close quietly instead of flashing "Desconectado".
    window.addEventListener('pagehide', () => this.fechar());
    window.addEventListener('pageshow', (evento) => { if (evento.persisted) this.iniciar(); });
  }

  iniciar() {
    this.parado = false;
    this.#abrir();
  }

  fechar() {
    this.parado = true;
    clearTimeout(this.temporizador);
    this.fonte?.close();
    this.fonte = null;
  }

  /** Waiting for a backoff? Try now (the network came back, the tab is visible again). */
  reconectarJa() {
    if (this.parado || this.fonte || this.temporizador === null) return;
    clearTimeout(this.temporizador);
    this.temporizador = null;
    this.#abrir();
  }

  #abrir() {
    const { url, indicador, mensagem, eventos = {} } = this.opcoes;
    const fonte = new EventSource(url());
    this.fonte = fonte;
    fonte.onopen = () => {
      this.tentativa = 0;
      indicador.mostrar('conectado');
      this.opcoes.aoAbrir?.();
    };
    if (mensagem) fonte.onmessage = (evento) => mensagem(evento);
    for (const [nome, tratar] of Object.entries(eventos)) {
      fonte.addEventListener(nome, (evento) => tratar(JSON.parse(evento.data), evento));
    }
    fonte.onerror = () => {
      if (fonte !== this.fonte) return;
      if (fonte.readyState === EventSource.CONNECTING) {
        indicador.mostrar('reconectando', 'A conexão caiu; o navegador está tentando de novo.');
        return;
      }
      fonte.close();
      this.fonte = null;
      this.#depoisDeDesistir();
    };
  }

  async #depoisDeDesistir() {
    if (this.parado) return;
    const { indicador } = this.opcoes;
    indicador.mostrar('desconectado');
    this.opcoes.aoCair?.();
    const status = await this.opcoes.sondar?.().catch(() => 0);
    if (status === 401) {
      irParaLogin();
      return;
    }
    if (status === 403 || status === 404) {
      this.parado = true;
      indicador.mostrar('desconectado', 'Você não tem mais acesso a esta sala.');
      this.opcoes.aoPerderAcesso?.(status);
      return;
    }
    const espera = esperaComJitter(this.tentativa++);
    indicador.mostrar('desconectado', `Sem conexão ao vivo; nova tentativa em ${Math.ceil(espera / 1000)} s.`);
    this.temporizador = setTimeout(() => {
      this.temporizador = null;
      if (!this.parado) this.#abrir();
    }, espera);
  }
}
