// @mention completion in the message box (DESIGN §9), the ARIA combobox
// pattern: typing "@" and a letter or more lists the room's members whose
// name starts so (GET /chat/sala/{id}/membros?q=…); Up/Down move, Enter or
// Tab pick ("@Nome " replaces what was typed), Esc closes. Created before
// the Compositor, so that its keys win over "Enter sends" while the list
// is open.

import { el } from '../comum/dom.js';
import { buscar } from '../comum/http.js';

const ESPERA_MS = 120;
// "@" at the start or after a space, then up to 40 characters of a name
// (letters, spaces, dots, hyphens, apostrophes) up to the caret, not
// ending in a space (so "@Ana " just picked does not ask again).
const GATILHO = /(?:^|\s)@(\p{L}(?:[\p{L}\p{M} .'-]{0,38}[\p{L}\p{M}.'-])?)$/u;

export class CompletarMencoes {
  /** texto: the message box's textarea; lista: its <ul role="listbox">. */
  constructor(salaId, texto, lista) {
    this.salaId = salaId;
    this.texto = texto;
    this.lista = lista;
    this.opcoes = [];  // [{id, nome}]
    this.ativa = -1;
    this.consulta = null;  // { inicio, q } of the "@…" being completed
    this.temporizador = null;
    this.pedido = 0;
    texto.setAttribute('role', 'combobox');
    texto.setAttribute('aria-autocomplete', 'list');
    texto.setAttribute('aria-controls', lista.id);
    texto.setAttribute('aria-expanded', 'false');
    texto.addEventListener('input', () => this.#aoDigitar());
    texto.addEventListener('keydown', (evento) => this.#aoTeclar(evento));
    texto.addEventListener('blur', () => setTimeout(() => this.fechar(), 150));
    // mousedown, not click: the textarea keeps the focus.
    lista.addEventListener('mousedown', (evento) => {
      const opcao = evento.target.closest('[role="option"]');
      if (!opcao) return;
      evento.preventDefault();
      this.escolher(Number(opcao.dataset.indice));
    });
  }

  get aberta() { return this.opcoes.length > 0; }

  fechar() {
    clearTimeout(this.temporizador);
    this.pedido += 1;
    this.opcoes = [];
    this.ativa = -1;
    this.lista.replaceChildren();
    this.lista.classList.add('d-none');
    this.texto.setAttribute('aria-expanded', 'false');
    this.texto.removeAttribute('aria-activedescendant');
  }

  /** Replaces the "@…" being typed by "@Nome ". */
  escolher(indice) {
    const membro = this.opcoes[indice];
    const consulta = this.consulta;
    this.fechar();
    if (!membro || !consulta) return;
    const { value } = this.texto;
    const fim = this.texto.selectionStart;
    const inserido = `@${membro.nome} `;
    this.texto.value = value.slice(0, consulta.inicio) + inserido + value.slice(fim);
    const caret = consulta.inicio + inserido.length;
    this.texto.setSelectionRange(caret, caret);
    this.texto.dispatchEvent(new Event('input'));
  }

  #aoDigitar() {
    const antes = this.texto.value.slice(0, this.texto.selectionStart);
    const achado = GATILHO.exec(antes);
    if (!achado) {
      this.consulta = null;
      this.fechar();
      return;
    }
    const q = achado[1];
    this.consulta = { inicio: antes.length - q.length - 1, q };
    clearTimeout(this.temporizador);
    this.temporizador = setTimeout(() => this.#buscar(q), ESPERA_MS);
  }

  async #buscar(q) {
    const pedido = ++this.pedido;
    const resultado = await buscar(`/chat/sala/${this.salaId}/membros`, { q });
    if (pedido !== this.pedido || this.consulta?.q !== q) return;  // a newer one is on its way
    const membros = resultado.ok ? (resultado.json.membros ?? []) : [];
    this.#mostrar(membros);
  }

  #mostrar(membros) {
    this.opcoes = membros;
    this.lista.replaceChildren(...membros.map((m, i) => el('li', {
      id: `${this.lista.id}-${i}`, role: 'option', class: 'papo-mencoes-opcao', 'data-indice': i, 'aria-selected': 'false',
    }, `@${m.nome}`)));
    this.lista.classList.toggle('d-none', membros.length === 0);
    this.texto.setAttribute('aria-expanded', membros.length ? 'true' : 'false');
    this.#ativar(membros.length ? 0 : -1);
  }

  #ativar(indice) {
    this.ativa = indice;
    for (const [i, opcao] of [...this.lista.children].entries()) {
      opcao.setAttribute('aria-selected', i === indice ? 'true' : 'false');
      opcao.classList.toggle('papo-mencoes-ativa', i === indice);
    }
    if (indice < 0) this.texto.removeAttribute('aria-activedescendant');
    else this.texto.setAttribute('aria-activedescendant', `${this.lista.id}-${indice}`);
  }

  #aoTeclar(evento) {
    if (!this.aberta || evento.isComposing) return;
    const n = this.opcoes.length;
    let tratada = true;
    if (evento.key === 'ArrowDown') this.#ativar((this.ativa + 1) % n);
    else if (evento.key === 'ArrowUp') this.#ativar((this.ativa - 1 + n) % n);
    else if (evento.key === 'Enter' || evento.key === 'Tab') this.escolher(Math.max(this.ativa, 0));
    else if (evento.key === 'Escape') this.fechar();
    else tratada = false;
    if (!tratada) return;
    evento.preventDefault();
    evento.stopImmediatePropagation();
  }
}
