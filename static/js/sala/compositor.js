// The message box: Enter sends, Shift+Enter breaks the line, a live counter
// of code points against CHAT_MESSAGE_MAX_LENGTH, the button disabled while
// sending, server errors as toasts. A resend of the same text after a failure
// reuses its client_id, so the server never stores it twice.

import { avisar } from '../comum/avisos.js';
import { postar, textoDoErro } from '../comum/http.js';

const ALTURA_MAXIMA_PX = 160;

function tamanho(texto) { return [...texto].length; }

export class Compositor {
  /**
   * elementos: { form, texto, botao, contador }
   * aoEnviar(mensagem): the stored message object, after a success.
   * aoDigitar(temTexto) / aoParar(): for the typing indicator.
   */
  constructor(salaId, maximo, elementos, { aoEnviar, aoDigitar, aoParar }) {
    Object.assign(this, elementos);
    this.salaId = salaId;
    this.maximo = maximo;
    this.aoEnviar = aoEnviar;
    this.aoDigitar = aoDigitar;
    this.aoParar = aoParar;
    this.enviando = false;
    this.pendente = null;  // { texto, clientId } of a send that failed
    // The counter, not maxlength, limits the text (sala.mustache has none):
    // maxlength counts UTF-16 units and would cut emoji short of the limit.
    this.texto.addEventListener('input', () => this.#aoMudar());
    this.texto.addEventListener('keydown', (evento) => this.#aoTeclar(evento));
    this.form.addEventListener('submit', (evento) => {
      evento.preventDefault();
      this.enviar();
    });
    this.#aoMudar(false);
  }

  async enviar() {
    const mensagem = this.texto.value;
    if (this.enviando || !mensagem.trim() || tamanho(mensagem.trim()) > this.maximo) return;
    this.enviando = true;
    this.#atualizarBotao();
    this.aoParar();
    if (this.pendente?.texto !== mensagem) this.pendente = { texto: mensagem, clientId: crypto.randomUUID() };
    try {
      const resultado = await postar('/chat/enviar',
        { sala_id: this.salaId, mensagem, client_id: this.pendente.clientId });
      if (resultado.ok && resultado.json.success) {
        this.pendente = null;
        if (this.texto.value === mensagem) this.texto.value = '';
        this.#aoMudar(false);
        this.aoEnviar(resultado.json.mensagem);
      } else if (resultado.status !== 401) {
        avisar(textoDoErro(resultado, 'Não foi possível enviar a mensagem. Tente de novo.'));
      }
    } finally {
      this.enviando = false;
      this.#atualizarBotao();
      this.texto.focus();
    }
  }

  #aoTeclar(evento) {
    if (evento.key !== 'Enter' || evento.shiftKey || evento.isComposing) return;
    evento.preventDefault();
    this.enviar();
  }

  #aoMudar(digitou = true) {
    const usados = tamanho(this.texto.value);
    this.contador.textContent = `${usados}/${this.maximo}`;
    this.contador.classList.toggle('text-danger', usados > this.maximo);
    this.contador.classList.toggle('fw-semibold', usados > this.maximo);
    this.contador.classList.toggle('papo-contador-perto', usados <= this.maximo && usados > this.maximo * 0.9);
    if (usados > this.maximo) {
      this.contador.title = `A mensagem passou do limite de ${this.maximo} caracteres.`;
    } else {
      this.contador.removeAttribute('title');
    }
    this.texto.setAttribute('aria-invalid', usados > this.maximo ? 'true' : 'false');
    this.#ajustarAltura();
    this.#atualizarBotao();
    if (!digitou) return;
    if (this.texto.value.trim()) this.aoDigitar(); else this.aoParar();
  }

  #atualizarBotao() {
    const texto = this.texto.value.trim();
    this.botao.disabled = this.enviando || !texto || tamanho(texto) > this.maximo;
    this.botao.setAttribute('aria-busy', this.enviando ? 'true' : 'false');
  }

  #ajustarAltura() {
    this.texto.style.height = 'auto';
    this.texto.style.height = `${Math.min(this.texto.scrollHeight + 2, ALTURA_MAXIMA_PX)}px`;
  }
}
