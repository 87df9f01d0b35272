// "Nova conversa" on the room list (DESIGN §9), the ARIA combobox pattern:
// typing part of a name lists people whose name, or a word of it, starts
// so (GET /chat/pessoas?q=…, never e-mails); Up/Down move, Enter picks, Esc
// closes. Picking someone posts /chat/dm and opens the room. Without a
// pick (or without script) the form posts what was typed as an e-mail.

import { el } from '../comum/dom.js';
import { buscar, postar, textoDoErro } from '../comum/http.js';

const ESPERA_MS = 150;

export class NovaConversa {
  /** form: #papo-nova-conversa; its input, listbox and error line inside. */
  constructor(form) {
    this.form = form;
    this.campo = form.querySelector('#papo-pessoa');
    this.lista = form.querySelector('#papo-pessoas');
    this.erro = form.querySelector('#papo-pessoa-erro');
    this.opcoes = [];
    this.ativa = -1;
    this.pedido = 0;
    this.temporizador = null;
    this.campo.setAttribute('role', 'combobox');
    this.campo.setAttribute('aria-autocomplete', 'list');
    this.campo.setAttribute('aria-controls', this.lista.id);
    this.campo.setAttribute('aria-expanded', 'false');
    this.campo.addEventListener('input', () => this.#aoDigitar());
    this.campo.addEventListener('keydown', (evento) => this.#aoTeclar(evento));
    this.campo.addEventListener('blur', () => setTimeout(() => this.fechar(), 150));
    // mousedown, not click: the input keeps the focus.
    this.lista.addEventListener('mousedown', (evento) => {
      const opcao = evento.target.closest('[role="option"]');
      if (!opcao) return;
      evento.preventDefault();
      this.escolher(Number(opcao.dataset.indice));
    });
    form.addEventListener('submit', (evento) => {
      // An e-mail typed goes as the form does; a name needs a pick.
      if (this.campo.value.includes('@')) return;
      evento.preventDefault();
      if (this.aberta) this.escolher(Math.max(this.ativa, 0));
      else this.erro.textContent = 'Digite parte do nome e escolha a pessoa na lista.';
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
    this.campo.setAttribute('aria-expanded', 'false');
    this.campo.removeAttribute('aria-activedescendant');
  }

  /** Opens (creating once) the direct message with the person picked. */
  async escolher(indice) {
    const pessoa = this.opcoes[indice];
    this.fechar();
    if (!pessoa) return;
    this.campo.value = pessoa.nome;
    this.erro.textContent = '';
    const resultado = await postar('/chat/dm', { usuario_id: pessoa.id });
    if (resultado.ok && resultado.json.sala_id) {
      location.assign(`/chat/sala/${resultado.json.sala_id}`);
      return;
    }
    this.erro.textContent = textoDoErro(resultado, 'Não foi possível abrir a conversa. Tente de novo.');
  }

  #aoDigitar() {
    this.erro.textContent = '';
    const q = this.campo.value.trim();
    clearTimeout(this.temporizador);
    if (q.length === 0 || q.includes('@')) {
      this.fechar();
      return;
    }
    this.temporizador = setTimeout(() => this.#consultar(q), ESPERA_MS);
  }

  async #consultar(q) {
    const pedido = ++this.pedido;
    const { ok, json } = await buscar('/chat/pessoas', { q });
    if (pedido !== this.pedido) return;  // a later keystroke asked again
    if (!ok) {
      this.fechar();
      return;
    }
    this.#mostrar(json.pessoas ?? []);
  }

  #mostrar(pessoas) {
    this.opcoes = pessoas;
    this.ativa = pessoas.length ? 0 : -1;
    this.lista.replaceChildren(...pessoas.map((pessoa, indice) => el('li', {
      id: `papo-pessoa-${indice}`,
      class: 'list-group-item list-group-item-action papo-pessoa-opcao',
      role: 'option',
      'data-indice': indice,
      'data-usuario-id': pessoa.id,
      'aria-selected': 'false',
    }, pessoa.nome)));
    if (!pessoas.length) {
      this.lista.append(el('li', { class: 'list-group-item text-muted small', role: 'presentation' }, 'Ninguém com esse nome.'));
    }
    this.lista.classList.remove('d-none');
    this.campo.setAttribute('aria-expanded', String(pessoas.length > 0));
    this.#destacar();
  }

  #destacar() {
    for (const opcao of this.lista.querySelectorAll('[role="option"]')) {
      const ativa = Number(opcao.dataset.indice) === this.ativa;
      opcao.setAttribute('aria-selected', String(ativa));
      opcao.classList.toggle('active', ativa);
    }
    if (this.ativa >= 0) this.campo.setAttribute('aria-activedescendant', `papo-pessoa-${this.ativa}`);
    else this.campo.removeAttribute('aria-activedescendant');
  }

  #aoTeclar(evento) {
    if (!this.aberta) return;
    if (evento.key === 'ArrowDown' || evento.key === 'ArrowUp') {
      evento.preventDefault();
      const passo = evento.key === 'ArrowDown' ? 1 : -1;
      this.ativa = (this.ativa + passo + this.opcoes.length) % this.opcoes.length;
      this.#destacar();
    } else if (evento.key === 'Enter') {
      evento.preventDefault();
      this.escolher(this.ativa);
    } else if (evento.key === 'Escape') {
      evento.preventDefault();
      this.fechar();
    }
  }
}
